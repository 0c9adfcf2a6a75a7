// SPDX-License-Identifier: Apache-2.0
//
// UserCommand.cpp
//


#include "admin/commands/UserCommand.h"
#include "auth/CallbackAllowList.h"
#include "auth/PasswordHasher.h"
#include "store/UserStore.h"
#include "Poco/DateTimeFormatter.h"
#include "Poco/FileStream.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/Parser.h"
#include "Poco/StreamCopier.h"
#include "Poco/String.h"
#include "Poco/StringTokenizer.h"
#include "Poco/Timestamp.h"
#include <boost/tokenizer.hpp>
#include <iomanip>
#include <sstream>
#include <typeinfo>


namespace XQueue {


namespace
{
	struct ImportedUser
	{
		std::string username;
		std::string passwordHash;
		bool active = true;
	};

	bool truthy(const std::string& text)
	{
		std::string t = Poco::toLower(Poco::trim(text));
		return t == "1" || t == "t" || t == "true" || t == "yes";
	}

	std::vector<ImportedUser> parseJson(const std::string& text)
		/// Django's dumpdata ([{"model": "auth.user", "fields": {...}}]) or a plain array of
		/// {"username", "password", "is_active"} objects.
	{
		Poco::JSON::Parser parser;
		Poco::Dynamic::Var parsed = parser.parse(text);
		if (parsed.type() != typeid(Poco::JSON::Array::Ptr))
			throw Poco::DataFormatException("expected an array of users (Django's dumpdata auth.user writes one)");
		auto pArray = parsed.extract<Poco::JSON::Array::Ptr>();
		std::vector<ImportedUser> users;
		for (std::size_t i = 0; i < pArray->size(); ++i)
		{
			auto pEntry = pArray->getObject(static_cast<unsigned>(i));
			if (!pEntry) throw Poco::DataFormatException("entry " + std::to_string(i + 1) + " is not an object");
			if (pEntry->has("fields"))
			{
				if (pEntry->optValue<std::string>("model", "auth.user") != "auth.user") continue;
				pEntry = pEntry->getObject("fields");
			}
			ImportedUser user;
			user.username = pEntry->optValue<std::string>("username", "");
			user.passwordHash = pEntry->optValue<std::string>("password", "");
			user.active = !pEntry->has("is_active") || truthy(pEntry->get("is_active").toString());
			users.push_back(user);
		}
		return users;
	}

	std::vector<ImportedUser> parseCsv(const std::string& text)
		/// A header line naming username, password and optionally is_active, in any order
		/// (as psql's or mysql's CSV export of auth_user writes it); RFC 4180 quoting.
	{
		using Tokenizer = boost::tokenizer<boost::escaped_list_separator<char>>;
		std::istringstream in(text);
		std::string line;
		std::vector<std::string> columns;
		std::vector<ImportedUser> users;
		while (std::getline(in, line))
		{
			if (!line.empty() && line.back() == '\r') line.pop_back();
			if (Poco::trim(line).empty()) continue;
			Tokenizer tokens(line, boost::escaped_list_separator<char>('\\', ',', '"'));
			std::vector<std::string> fields(tokens.begin(), tokens.end());
			if (columns.empty())
			{
				for (auto& field: fields) columns.push_back(Poco::toLower(Poco::trim(field)));
				continue;
			}
			ImportedUser user;
			for (std::size_t i = 0; i < fields.size() && i < columns.size(); ++i)
			{
				if (columns[i] == "username") user.username = Poco::trim(fields[i]);
				else if (columns[i] == "password") user.passwordHash = Poco::trim(fields[i]);
				else if (columns[i] == "is_active") user.active = truthy(fields[i]);
			}
			users.push_back(user);
		}
		if (std::find(columns.begin(), columns.end(), "username") == columns.end() ||
			std::find(columns.begin(), columns.end(), "password") == columns.end())
			throw Poco::DataFormatException("the CSV header must name the columns username and password (and optionally is_active)");
		return users;
	}
}


UserCommand::UserCommand():
	AdminCommand({"user", "user set NAME [--password-file=F | --password-stdin] [--inactive | --active] [--role=ROLE] [--queues=Q,...|*] | user callbacks NAME (URL_PREFIX... | --clear) | user list | user remove NAME | user import-django FILE",
		"  user set NAME [--password-file=F | --password-stdin] [--inactive | --active] [--role=ROLE] [--queues=Q,...|*]\n"
			"      Create or update a user. The password is read from F or the first line of stdin,\n"
			"      never from the command line; a new password logs the user out everywhere. For an\n"
			"      existing user, --role/--queues/--inactive/--active change just that, keeping the\n"
			"      password and the sessions (a role applies at the user's next request; --inactive\n"
			"      ends its sessions), unless --password-file or --password-stdin gives one. ROLE: lms\n"
			"      (submits to its --queues), grader (get_queuelen, get_submission, put_result on its\n"
			"      --queues), admin (the dashboard; no queue traffic), legacy (the old server's\n"
			"      everything on every queue: the default for new and migrated users, warned about\n"
			"      at start-up). Without --role the role and queues stay as they are.\n"
			"  user callbacks NAME (URL_PREFIX... | --clear)\n"
			"      The callback URLs an LMS account may name in its submissions, as prefixes such as\n"
			"      https://lms.example.com/courses/ (same scheme, host and port; the path continues\n"
			"      the prefix's). Other callbacks are refused at submit. --clear lets the account name\n"
			"      any callback again (the old server's behaviour, warned about at start-up).\n"
			"  user list\n"
			"      List users.\n"
			"  user remove NAME\n"
			"      Delete a user and its sessions.\n"
			"  user import-django FILE\n"
			"      Import users exported from the Python xqueue's auth_user table, keeping their\n"
			"      pbkdf2_sha256 password hashes (an LMS keeps its credentials). FILE is JSON (Django's\n"
			"      dumpdata auth.user, or an array of {username, password, is_active}) or CSV with a\n"
			"      header naming username, password and optionally is_active. Existing users are\n"
			"      updated; entries with another hash kind (or an unusable password) are skipped and\n"
			"      listed.\n",
		{"inactive", "active", "password-stdin", "clear"}, {"password-file", "role", "queues"}})
{
}


int UserCommand::run(const CommandArguments& arguments, AdminEnvironment& environment)
{
	UserStore users(environment.database);
	const auto& words = arguments.positional();
	const std::string verb = words.empty() ? "" : words[0];
	if (verb == "list" && words.size() == 1)
	{
		environment.out << std::left << std::setw(32) << "USERNAME" << std::setw(10) << "ACTIVE" << std::setw(8) << "ROLE"
			<< std::setw(21) << "UPDATED (UTC)" << std::setw(24) << "QUEUES" << "CALLBACKS" << "\n";
		for (const auto& user: users.list())
		{
			std::string queues;
			for (const auto& queue: user.access.queues) queues += (queues.empty() ? "" : ",") + queue;
			std::string callbacks;
			for (const auto& prefix: user.callbackPrefixes) callbacks += (callbacks.empty() ? "" : " ") + prefix;
			if (callbacks.empty()) callbacks = user.access.submits() ? "(any)" : "-";
			environment.out << std::left << std::setw(32) << user.username << std::setw(10) << (user.active ? "yes" : "no")
				<< std::setw(8) << UserAccess::nameOf(user.access.role) << std::setw(21)
				<< Poco::DateTimeFormatter::format(Poco::Timestamp(user.updatedAt), "%Y-%m-%d %H:%M:%S")
				<< std::setw(24) << (user.access.role == Role::LEGACY ? "(all)" : queues) << callbacks << "\n";
		}
		return EXIT_DONE;
	}
	if (verb == "set" && words.size() == 2) return set(arguments, environment, users);
	if (verb == "callbacks" && words.size() >= 2)
	{
		// Lifting the restriction is said explicitly: a forgotten URL must not do it.
		if (words.size() == 2 && !arguments.has("clear"))
			throw AdminUsageException("user callbacks: give the URL prefixes, or --clear to allow any callback URL");
		if (words.size() > 2 && arguments.has("clear")) throw AdminUsageException("user callbacks: --clear takes no URL prefixes");
		std::vector<std::string> prefixes;
		for (std::size_t i = 2; i < words.size(); ++i)
		{
			try
			{
				prefixes.push_back(CallbackAllowList::normalize(words[i]));
			}
			catch (Poco::InvalidArgumentException& exc)
			{
				throw AdminUsageException("user callbacks: " + exc.message());
			}
		}
		try
		{
			users.setCallbackPrefixes(words[1], prefixes);
		}
		catch (Poco::NotFoundException&)
		{
			environment.progress << "xqueue-admin: no user named " << words[1] << "\n";
			return EXIT_FAILED;
		}
		if (prefixes.empty())
			environment.out << words[1] << " may name any callback URL\n";
		else
			environment.out << words[1] << " may name callback URLs under " << Poco::cat(std::string(" "), prefixes.begin(), prefixes.end()) << "\n";
		return EXIT_DONE;
	}
	if (verb == "remove" && words.size() == 2)
	{
		if (!users.remove(words[1]))
		{
			environment.progress << "xqueue-admin: no user named " << words[1] << "\n";
			return EXIT_FAILED;
		}
		environment.out << "removed user " << words[1] << "\n";
		return EXIT_DONE;
	}
	if (verb == "import-django" && words.size() == 2) return importDjango(words[1], environment, users);
	throw AdminUsageException(verb.empty() ? "user: expected set, callbacks, list, remove or import-django" : "user " + verb + ": wrong arguments");
}


int UserCommand::set(const CommandArguments& arguments, AdminEnvironment& environment, UserStore& users)
{
	const std::string& name = arguments.positional()[1];
	if (name.empty() || name.size() > 150) throw AdminUsageException("a user name has 1 to 150 characters");
	// The role first: a bad one must not change the password.
	std::optional<UserAccess> access;
	if (auto role = arguments.value("role"))
	{
		auto named = UserAccess::roleNamed(*role);
		if (!named) throw AdminUsageException("--role: expected lms, grader, admin or legacy, found '" + *role + "'");
		access = UserAccess{*named, {}};
		auto queues = arguments.value("queues");
		bool needsQueues = access->usesGrants();
		if (needsQueues && !queues) throw AdminUsageException("--role=" + *role + " needs --queues=Q,... (or --queues='*' for all)");
		if (!needsQueues && queues) throw AdminUsageException("--queues applies to the lms and grader roles only");
		Poco::StringTokenizer names(queues.value_or(""), ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
		for (const auto& queue: names)
		{
			if (queue != "*" && !environment.settings.findQueue(queue))
				environment.progress << "note: queue '" << queue << "' is not configured\n";
			access->queues.insert(queue);
		}
		if (needsQueues && access->queues.empty()) throw AdminUsageException("--queues: no queue named");
	}
	else if (arguments.has("queues"))
	{
		throw AdminUsageException("--queues needs --role");
	}
	if (arguments.has("inactive") && arguments.has("active")) throw AdminUsageException("--inactive and --active: give one");
	if (arguments.has("password-file") && arguments.has("password-stdin")) throw AdminUsageException("--password-file and --password-stdin: give one");
	const bool exists = users.find(name).has_value();
	const bool changesOnly = exists && (access || arguments.has("inactive") || arguments.has("active"));
	if (changesOnly && !arguments.has("password-file") && !arguments.has("password-stdin"))
	{
		// Role, queues or state without touching the password (or the user's sessions).
		if (access) users.setAccess(name, *access);
		if (arguments.has("inactive") || arguments.has("active")) users.setActive(name, arguments.has("active"));
		environment.out << "updated user " << name << " (password unchanged)\n";
		return EXIT_DONE;
	}
	std::string password;
	if (auto file = arguments.value("password-file"))
	{
		Poco::FileInputStream in(*file);
		std::getline(in, password);
	}
	else
	{
		std::getline(environment.in, password);
	}
	while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) password.pop_back();
	if (password.empty()) throw AdminUsageException("no password given (first line of stdin, or --password-file)");
	if (password.size() > PasswordHasher::MAX_PASSWORD_BYTES) throw AdminUsageException("the password is longer than 4096 bytes");
	PasswordHasher hasher(environment.settings.auth.pbkdf2Iterations);
	bool created = users.setPassword(name, hasher.hash(password), !arguments.has("inactive"));
	if (access) users.setAccess(name, *access);
	environment.out << (created ? "created user " : "updated user ") << name << "\n";
	return EXIT_DONE;
}


int UserCommand::importDjango(const std::string& path, AdminEnvironment& environment, UserStore& users)
{
	std::string text;
	try
	{
		Poco::FileInputStream in(path);
		Poco::StreamCopier::copyToString(in, text);
	}
	catch (Poco::Exception& exc)
	{
		environment.progress << "xqueue-admin user import-django: cannot read " << path << ": " << exc.displayText() << "\n";
		return EXIT_NO_INPUT;
	}
	std::vector<ImportedUser> imported;
	// By its first character: JSON (an array or an object), else CSV; each gets its own error.
	const std::string start = Poco::trimLeft(text).substr(0, 1);
	const bool json = start == "[" || start == "{";
	try
	{
		imported = json ? parseJson(text) : parseCsv(text);
	}
	catch (Poco::Exception& exc)
	{
		environment.progress << "xqueue-admin user import-django: " << path << ": "
			<< (json ? "not a Django user export (JSON): " : "not a Django user export (CSV): ") << exc.message() << "\n";
		return EXIT_DATA;
	}
	std::size_t created = 0, updated = 0, skipped = 0;
	for (const auto& user: imported)
	{
		if (user.username.empty() || user.username.size() > 150)
		{
			environment.progress << "skipped an entry without a valid username\n";
			++skipped;
			continue;
		}
		if (!PasswordHasher::isWellFormed(user.passwordHash))
		{
			environment.progress << "skipped " << user.username << ": not a pbkdf2_sha256 hash (unusable password or another hasher)\n";
			++skipped;
			continue;
		}
		if (users.setPassword(user.username, user.passwordHash, user.active)) ++created;
		else ++updated;
	}
	environment.out << "imported " << created + updated << " users (" << created << " created, " << updated << " updated), skipped "
		<< skipped << "\n";
	// Not everything came over: say so in the exit code too (scripts check it).
	return skipped > 0 ? EXIT_FAILED : EXIT_DONE;
}


} // namespace XQueue
