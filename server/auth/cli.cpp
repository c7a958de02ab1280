// `fairdesk user ...`: account administration for operators on the server's command line.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <string>

#include "auth/auth.hpp"
#include "auth/oidc.hpp"

namespace fairdesk::auth {
namespace {

using OpenDb = std::function<Result<std::unique_ptr<db::Database>>()>;

[[noreturn]] void Die(std::string_view command, const Error& e) {
  // Field errors name the JSON field, which matches the option (centre_id: --centre).
  std::string message = e.errors.empty() ? e.detail : "";
  for (const FieldError& f : e.errors) {
    message += fmt::format("{}{}: {}", message.empty() ? "" : "; ", f.field, f.message);
  }
  if ((e.kind == ErrorKind::kInternal || e.kind == ErrorKind::kUnavailable) && !e.internal.empty()) {
    message += " (" + e.internal + ")";
  }
  std::cerr << "fairdesk user " << command << ": " << message << "\n";
  throw CLI::RuntimeError(1);
}

[[noreturn]] void Die(std::string_view command, std::string_view message) {
  std::cerr << "fairdesk user " << command << ": " << message << "\n";
  throw CLI::RuntimeError(1);
}

std::string ReadPasswordLine(std::string_view command) {
  std::string line;
  if (!std::getline(std::cin, line)) {
    Die(command, "--password-stdin: no password on standard input");
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) {
    line.pop_back();
  }
  return line;
}

// Opens the database and the service; the service is built per command, which is cheap.
struct Context {
  std::unique_ptr<db::Database> database;
  // The user commands never touch the second factor, so they need no keys of the state folder:
  // an ephemeral keyring would only fail to open a sealed TOTP secret, never read it.
  std::unique_ptr<crypto::Keyring> keyring = crypto::Keyring::Ephemeral();
  std::unique_ptr<Service> service;
};

Context Open(std::string_view command, const OpenDb& open_db) {
  auto database = open_db();
  if (!database) {
    Die(command, database.error());
  }
  Context c;
  c.database = std::move(*database);
  c.service = std::make_unique<Service>(*c.database, *c.keyring, Options{});
  return c;
}

std::string RoleList() {
  std::string out;
  for (Role r : AllRoles()) {
    out += (out.empty() ? "" : ", ") + std::string(RoleName(r));
  }
  return out;
}

struct AddArgs {
  std::string email;
  std::string role;
  std::string centre;
  std::string state;
  std::string name;
  std::string language = "de";
  bool password_stdin = false;
};

struct TargetArgs {
  std::string email;
  bool password_stdin = false;
};

void AddSetDisabled(CLI::App& user, const OpenDb& open_db, const char* name, const char* help, bool disabled) {
  auto args = std::make_shared<TargetArgs>();
  CLI::App* cmd = user.add_subcommand(name, help);
  cmd->add_option("--email", args->email, "E-mail address (or id) of the user")->required();
  cmd->callback([args, open_db, name, disabled] {
    Context c = Open(name, open_db);
    auto found = c.service->FindUser(args->email);
    if (!found) {
      Die(name, found.error());
    }
    if (auto s = c.service->SetDisabled(found->id, disabled); !s) {
      Die(name, s.error());
    }
    std::cout << (disabled ? "Disabled " : "Enabled ") << found->id
              << (disabled ? "; the user's sessions have ended.\n" : ".\n");
  });
}

}  // namespace

void RegisterCli(CLI::App& root, std::function<Result<std::unique_ptr<db::Database>>()> open_db) {
  CLI::App* user = root.add_subcommand("user", "Manage user accounts (add, list, disable, enable, reset-password, link-oidc)");
  user->require_subcommand(1);

  {
    auto args = std::make_shared<AddArgs>();
    CLI::App* add = user->add_subcommand(
        "add", "Create a user. Prints a generated password unless --password-stdin gives one.");
    add->add_option("--email", args->email, "E-mail address (the login)")->required();
    add->add_option("--role", args->role, "One of: " + RoleList())->required();
    add->add_option("--centre", args->centre, "Centre id (advisor, centre_lead, competence_centre)");
    add->add_option("--state", args->state, "Federal state code (state_coordinator), e.g. BE");
    add->add_option("--name", args->name, "Display name")->required();
    add->add_option("--language", args->language, "de (default) or en");
    add->add_flag("--password-stdin", args->password_stdin, "Read the password from the first line of stdin");
    add->callback([args, open_db] {
      NewUser u;
      u.email = args->email;
      u.display_name = args->name;
      std::optional<Role> role = ParseRole(args->role);
      if (!role) {
        Die("add", "--role must be one of: " + RoleList());
      }
      u.role = *role;
      if (!args->centre.empty()) {
        u.centre_id = args->centre;
      }
      if (!args->state.empty()) {
        u.state = args->state;
      }
      u.language = args->language;
      if (args->password_stdin) {
        u.password = ReadPasswordLine("add");
      }
      Context c = Open("add", open_db);
      auto created = c.service->AddUser(std::move(u));
      if (!created) {
        Die("add", created.error());
      }
      std::cout << "Created user " << created->user.id << " (" << RoleName(created->user.role) << ").\n";
      if (created->generated_password) {
        std::cout << "Password: " << *created->generated_password << "\n";
      }
    });
  }

  {
    auto centre = std::make_shared<std::string>();
    CLI::App* list = user->add_subcommand("list", "List users: id, e-mail, role, centre, state, status, 2FA");
    list->add_option("--centre", *centre, "Only the users of this centre");
    list->callback([centre, open_db] {
      Context c = Open("list", open_db);
      auto users = c.service->AllUsers();
      if (!users) {
        Die("list", users.error());
      }
      std::cout << fmt::format("{:<32} {:<36} {:<18} {:<20} {:<5} {:<8} {}\n", "ID", "E-MAIL", "ROLE", "CENTRE",
                               "STATE", "STATUS", "2FA");
      for (const User& u : *users) {
        if (!centre->empty() && u.centre_id != *centre) {
          continue;
        }
        std::cout << fmt::format("{:<32} {:<36} {:<18} {:<20} {:<5} {:<8} {}\n", u.id, u.email, RoleName(u.role),
                                 u.centre_id.value_or("-"), u.state.value_or("-"),
                                 u.disabled ? "disabled" : "active", u.TotpEnabled() ? "yes" : "no");
      }
    });
  }

  AddSetDisabled(*user, open_db, "disable", "Disable a user and end their sessions", true);
  AddSetDisabled(*user, open_db, "enable", "Enable a disabled user again", false);

  {
    auto args = std::make_shared<TargetArgs>();
    CLI::App* reset = user->add_subcommand(
        "reset-password", "Set a new password (generated unless --password-stdin) and end the user's sessions");
    reset->add_option("--email", args->email, "E-mail address (or id) of the user")->required();
    reset->add_flag("--password-stdin", args->password_stdin, "Read the password from the first line of stdin");
    reset->callback([args, open_db] {
      std::optional<std::string> password;
      if (args->password_stdin) {
        password = ReadPasswordLine("reset-password");
      }
      Context c = Open("reset-password", open_db);
      auto found = c.service->FindUser(args->email);
      if (!found) {
        Die("reset-password", found.error());
      }
      auto generated = c.service->ResetPassword(found->id, std::move(password));
      if (!generated) {
        Die("reset-password", generated.error());
      }
      std::cout << "Password of " << found->id << " reset; the user's sessions have ended.\n";
      if (*generated) {
        std::cout << "Password: " << **generated << "\n";
      }
    });
  }

  {
    struct LinkArgs {
      std::string email, issuer, subject;
    };
    auto args = std::make_shared<LinkArgs>();
    CLI::App* link = user->add_subcommand(
        "link-oidc", "Link an existing account to an identity at the identity provider (issuer and subject, 'sub')");
    link->add_option("--email", args->email, "E-mail address (or id) of the user")->required();
    link->add_option("--issuer", args->issuer, "The provider's issuer URL, as configured")->required();
    link->add_option("--subject", args->subject, "The identity's 'sub' at the provider")->required();
    link->callback([args, open_db] {
      Context c = Open("link-oidc", open_db);
      auto found = c.service->FindUser(args->email);
      if (!found) Die("link-oidc", found.error());
      if (auto linked = LinkIdentity(*c.database, found->id, args->issuer, args->subject); !linked) {
        Die("link-oidc", linked.error());
      }
      std::cout << "Account " << found->id << " linked; its role and centre follow the mapping rules from its next "
                   "sign-in through the identity provider.\n";
    });
  }
}

}  // namespace fairdesk::auth
