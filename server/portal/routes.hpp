#pragma once
/// The public portal's pages (server-rendered HTML under /{lang}/ for every portal language, no
/// session read, no cookies, no third-party requests), its assets, and the staff API of contact
/// requests and legal pages.

#include "directory/service.hpp"
#include "events/service.hpp"
#include "knowledge/service.hpp"
#include "platform/http/router.hpp"
#include "portal/service.hpp"

namespace fairdesk::portal {
void RegisterRoutes(http::Router& router, Service& service, directory::Service& directory, knowledge::Service& knowledge);
/// The public events pages (/{lang}/events…, /{lang}/event-registration/{token}) with the
/// self-registration form, protected like the contact form.
void RegisterEventPages(http::Router& router, Service& service, events::Service& events);
/// An e-mail to a person registered on the portal, in their portal language.
events::MailMessage ComposeEventMail(const events::PublicMail& mail);
}  // namespace fairdesk::portal
