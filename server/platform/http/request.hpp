#pragma once
/// Transport-neutral request and response. Route handlers see only these types, never Beast.

#include <boost/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/core/access.hpp"
#include "platform/core/error.hpp"

namespace fairdesk::http {

struct Request {
  std::string method;  // upper case: GET, POST, ...
  std::string path;    // percent-decoded path without the query
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote_address;
  std::string request_id;
  std::map<std::string, std::string, std::less<>> path_params;
  std::optional<Principal> principal;  // set by the authenticator
  std::chrono::system_clock::time_point received_at;

  std::optional<std::string> Header(std::string_view lower_name) const;
  std::optional<std::string> Query(std::string_view name) const;
  std::string Cookie(std::string_view name) const;
  const std::string& Param(std::string_view name) const;
  /// The signed-in principal; the router guarantees it exists on routes that need sign-in.
  const Principal& User() const { return *principal; }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// A streamed body, sent with chunked transfer coding: called on the blocking pool, one piece
  /// at a time, while the client keeps up, until it answers an empty string (the end). An error
  /// ends the connection without the last chunk, so the client sees an incomplete answer. When
  /// set, `body` is not sent. Memory stays what one piece needs, whatever the whole answer's size.
  std::function<Result<std::string>()> stream;
  /// An answer to HEAD that leaves `body` empty: the Content-Length a GET would have sent
  /// (RFC 9110 §9.3.2), so that a route need not read a large body only to have it dropped.
  std::optional<std::uint64_t> head_length;

  static Response Json(const boost::json::value& value, int status = 200);
  static Response NoContent() { return Response{204, "", {}, ""}; }
  Response& With(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

using Handler = std::function<Result<Response>(Request&)>;

}  // namespace fairdesk::http
