#include "platform/mail/mail.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <ctime>

#include "platform/log/log.hpp"

namespace fairdesk::mail {
namespace {

class Connection {
 public:
  ~Connection() {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Open(const SmtpSettings& s) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(s.host.c_str(), std::to_string(s.port).c_str(), &hints, &found) != 0 || !found) {
      return Fail(Error::Unavailable("smtp: the relay's host name does not resolve"));
    }
    for (addrinfo* a = found; a && fd_ < 0; a = a->ai_next) {
      int fd = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
      if (fd < 0) continue;
      timeval tv{static_cast<time_t>(s.timeout.count()), 0};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
      if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
        fd_ = fd;
      } else {
        ::close(fd);
      }
    }
    ::freeaddrinfo(found);
    if (fd_ < 0) return Fail(Error::Unavailable("smtp: cannot connect to the relay"));
    return {};
  }

  Status Write(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return Fail(Error::Unavailable("smtp: writing to the relay failed"));
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
  }

  /// Reads one reply (possibly multi-line "250-..." then "250 ...") and answers its code.
  Result<int> Reply() {
    while (true) {
      const auto eol = buffer_.find("\r\n");
      if (eol != std::string::npos) {
        std::string line = buffer_.substr(0, eol);
        buffer_.erase(0, eol + 2);
        if (line.size() < 3) return Fail(Error::Unavailable("smtp: malformed reply"));
        if (line.size() > 3 && line[3] == '-') continue;  // more lines follow
        return std::atoi(line.substr(0, 3).c_str());
      }
      if (buffer_.size() > 64 * 1024) return Fail(Error::Unavailable("smtp: reply too long"));
      char chunk[1024];
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) return Fail(Error::Unavailable("smtp: the relay closed the connection or timed out"));
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  Status Step(std::string_view command, int expected, std::string_view name) {
    if (!command.empty()) FD_TRY_VOID(Write(command));
    const int code = FD_TRY(Reply());
    if (code / 100 != expected / 100) {
      return Fail(Error::Unavailable("smtp: " + std::string(name) + " answered " + std::to_string(code)));
    }
    return {};
  }

 private:
  int fd_ = -1;
  std::string buffer_;
};

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Addresses go into SMTP commands and headers: no line breaks, no angle brackets.
bool SafeAddress(std::string_view a) {
  return !a.empty() && a.size() <= 254 && a.find_first_of("\r\n<>") == std::string_view::npos;
}

std::string Base64(std::string_view in) {
  static constexpr char kTable[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += kTable[(v >> 18) & 63];
    out += kTable[(v >> 12) & 63];
    out += kTable[(v >> 6) & 63];
    out += kTable[v & 63];
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += kTable[(v >> 18) & 63];
    out += kTable[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += kTable[(v >> 18) & 63];
    out += kTable[(v >> 12) & 63];
    out += kTable[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string EncodeHeader(std::string_view text) {
  std::string clean;
  for (char c : text) clean += (c == '\r' || c == '\n') ? ' ' : c;
  if (IsAscii(clean)) return clean;
  return "=?UTF-8?B?" + Base64(clean) + "?=";
}

// The body as base64 lines of 76 characters: no dot-stuffing, no line-length or 8-bit concerns.
std::string EncodeBody(std::string_view text) {
  std::string normalised;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) normalised += '\r';
    normalised += text[i];
  }
  const std::string b64 = Base64(normalised);
  std::string out;
  for (std::size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";
  return out;
}

std::string DateHeader() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

}  // namespace

Status SendNow(const SmtpSettings& s, const Message& m) {
  if (s.host.empty()) return Fail(Error::Unavailable("smtp: no relay configured"));
  if (!SafeAddress(m.to) || !SafeAddress(s.from)) return Fail(Error::Internal("smtp: an address is not usable"));
  Connection c;
  FD_TRY_VOID(c.Open(s));
  FD_TRY_VOID(c.Step({}, 220, "greeting"));
  FD_TRY_VOID(c.Step("EHLO " + s.helo + "\r\n", 250, "EHLO"));
  FD_TRY_VOID(c.Step("MAIL FROM:<" + s.from + ">\r\n", 250, "MAIL FROM"));
  FD_TRY_VOID(c.Step("RCPT TO:<" + m.to + ">\r\n", 250, "RCPT TO"));
  FD_TRY_VOID(c.Step("DATA\r\n", 354, "DATA"));
  std::string data;
  data += "From: " + s.from + "\r\n";
  data += "To: " + m.to + "\r\n";
  data += "Subject: " + EncodeHeader(m.subject) + "\r\n";
  data += "Date: " + DateHeader() + "\r\n";
  data += "MIME-Version: 1.0\r\n";
  data += "Content-Type: text/plain; charset=utf-8\r\n";
  data += "Content-Transfer-Encoding: base64\r\n";
  data += "Auto-Submitted: auto-generated\r\n\r\n";
  data += EncodeBody(m.text);
  data += ".\r\n";
  FD_TRY_VOID(c.Step(data, 250, "message"));
  (void)c.Step("QUIT\r\n", 221, "QUIT");
  return {};
}

}  // namespace fairdesk::mail
