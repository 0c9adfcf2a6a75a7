// SPDX-License-Identifier: Apache-2.0
//
// ImportXqueueCommand.cpp
//


#include "admin/commands/ImportXqueueCommand.h"
#include "admin/PythonXqueueFiles.h"
#include "auth/PasswordHasher.h"
#include "config/SecretFile.h"
#include "files/FileContentStore.h"
#include "files/FileStore.h"
#include "protocol/PythonJson.h"
#include "store/PythonXqueueSource.h"
#include "store/SubmissionImport.h"
#include "store/UserStore.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/ParseHandler.h"
#include "Poco/JSON/Parser.h"
#include <map>


namespace XQueue {


namespace {


constexpr std::size_t BATCH = 200;
const std::string EXTERNAL_DICTS = "URL_FOR_EXTERNAL_DICTS";


struct Tally
{
	std::size_t created = 0, updated = 0, unchanged = 0, unusable = 0, otherHash = 0;
	std::size_t waiting = 0, handedOut = 0, graded = 0, already = 0, conflicts = 0, filesCopied = 0, filesKept = 0;
	std::map<std::string, std::size_t> unconfigured;
};


Poco::JSON::Object::Ptr parseObject(const std::string& text)
{
	try
	{
		Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true)); // keeps the order
		return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
	}
	catch (Poco::Exception&) // not JSON, or not an object
	{
		return nullptr;
	}
}


std::string fullCallbackUrl(const PythonXqueueSubmission& row)
{
	// The column is cut at 128 characters; the header has the URL the LMS gave.
	auto pHeader = parseObject(row.header);
	if (pHeader && pHeader->has("lms_callback_url") && pHeader->get("lms_callback_url").isString())
		return pHeader->getValue<std::string>("lms_callback_url");
	return row.callbackUrl;
}


std::vector<std::pair<std::string, std::string>> fileUrls(const std::string& json)
{
	std::vector<std::pair<std::string, std::string>> urls;
	auto pUrls = parseObject(json);
	if (!pUrls) return urls;
	for (const auto& name: pUrls->getNames()) urls.emplace_back(name, pUrls->get(name).toString());
	return urls;
}


} // namespace


ImportXqueueCommand::ImportXqueueCommand():
	AdminCommand({"import-xqueue", "import-xqueue --from=sqlite:PATH|mysql:CONNECTION [--from-password-file=F] [--lms-user=NAME] [--files=urls|copy] [--media-root=DIR [--media-url=URL]] [--users-only] [--dry-run]",
		"  import-xqueue --from=sqlite:PATH|mysql:host=H;port=P;user=U;db=D [--from-password-file=F]\n"
			"                [--lms-user=NAME] [--files=urls|copy] [--media-root=DIR [--media-url=URL]]\n"
			"                [--users-only] [--dry-run]\n"
			"      Cut-over from a Python xqueue: reads its database (read only; it may still run) and\n"
			"      imports its accounts with their password hashes (pbkdf2_sha256: users keep their\n"
			"      passwords; role legacy, as there) and every submission it has not retired, under the\n"
			"      same ids: a waiting one waits in its queue here; one a grader holds accepts that\n"
			"      grader's put_result (same submission_id and key) until its lease ends, then is handed\n"
			"      out again; a grade the LMS did not take is delivered from here. Run it again at any\n"
			"      time: what is already here is left alone (nothing doubled); an id taken by another\n"
			"      submission is reported and skipped. docs/operations.md, \"Cut-over from the Python\n"
			"      xqueue\", gives the order of the steps.\n"
			"      --lms-user      the account the LMS submits with here: a newer submission of the\n"
			"                      same problem then supersedes an imported one, as on the old server\n"
			"      --files=urls    (default) graders keep getting the old server's file URLs (its S3\n"
			"                      links or media server must stay up until they are graded)\n"
			"      --files=copy    the files are read and stored here (xqueue.files.*), from\n"
			"                      --media-root for URLs under --media-url (or relative paths),\n"
			"                      over http(s) otherwise; one that cannot be read keeps its URL\n"
			"      --users-only    only the accounts (side by side: the old server drains itself)\n"
			"      --dry-run       reads and counts, changes nothing\n"
			"      Exit 0 when everything came over; 1 when something did not (an id conflict, an\n"
			"      account whose hash this server cannot check); 66 when the source cannot be\n"
			"      opened, 65 when it is not a Python xqueue database.\n",
		{"users-only", "dry-run"}, {"from", "from-password-file", "lms-user", "files", "media-root", "media-url"}})
{
}


int ImportXqueueCommand::run(const CommandArguments& arguments, AdminEnvironment& environment)
{
	if (!arguments.positional().empty()) throw AdminUsageException("import-xqueue takes no positional arguments");
	std::optional<std::string> from = arguments.value("from");
	if (!from) throw AdminUsageException("import-xqueue: --from is required (sqlite:PATH or mysql:host=...;port=...;user=...;db=...)");
	const std::string filesMode = arguments.value("files").value_or("urls");
	if (filesMode != "urls" && filesMode != "copy") throw AdminUsageException("--files: expected urls or copy, found '" + filesMode + "'");
	if (arguments.has("media-url") && !arguments.has("media-root")) throw AdminUsageException("--media-url needs --media-root");
	const bool dryRun = arguments.has("dry-run");

	std::unique_ptr<PythonXqueueSource> pSource;
	try
	{
		std::string password;
		if (auto file = arguments.value("from-password-file")) password = SecretFile::firstLine(*file);
		pSource = PythonXqueueSource::open(*from, password);
	}
	catch (Poco::DataFormatException& exc)
	{
		environment.progress << "xqueue-admin import-xqueue: " << exc.message() << "\n";
		return EXIT_DATA;
	}
	catch (Poco::InvalidArgumentException& exc)
	{
		throw AdminUsageException("--from: " + exc.message());
	}
	catch (Poco::Exception& exc)
	{
		environment.progress << "xqueue-admin import-xqueue: cannot open " << *from << ": " << exc.displayText() << "\n";
		return EXIT_NO_INPUT;
	}
	environment.out << "from the Python xqueue's " << pSource->description() << (dryRun ? " (dry run: nothing changed)" : "") << "\n";
	Tally tally;

	// Accounts first: the LMS and graders log in with them as soon as they are switched.
	UserStore users(environment.database);
	for (const auto& user: pSource->users())
	{
		if (user.passwordHash.empty() || user.passwordHash[0] == '!')
		{
			++tally.unusable; // could not log in there either
			continue;
		}
		if (!PasswordHasher::isWellFormed(user.passwordHash))
		{
			environment.progress << "skipped " << user.username << ": a password hash this server cannot check (" << user.passwordHash.substr(0, user.passwordHash.find('$'))
				<< "); set a password with 'user set'\n";
			++tally.otherHash;
			continue;
		}
		auto existing = users.find(user.username);
		if (existing && existing->passwordHash == user.passwordHash && existing->active == user.active)
		{
			++tally.unchanged;
			continue;
		}
		++(existing ? tally.updated : tally.created);
		if (!dryRun) users.setPassword(user.username, user.passwordHash, user.active);
	}
	environment.out << "accounts: " << tally.created << " created, " << tally.updated << " updated, " << tally.unchanged << " already here; skipped "
		<< tally.unusable << " without a usable password, " << tally.otherHash << " with another hash kind\n";

	if (!arguments.has("users-only"))
	{
		Poco::Int64 submitter = 0;
		if (auto lmsUser = arguments.value("lms-user"))
		{
			auto account = users.find(*lmsUser);
			if (!account && !dryRun)
			{
				environment.progress << "xqueue-admin import-xqueue: --lms-user: no user named '" << *lmsUser << "'\n";
				return EXIT_FAILED;
			}
			if (account) submitter = account->id;
		}
		else environment.progress << "note: without --lms-user, a newer submission from the LMS does not supersede an imported one\n";

		auto pContents = FileContentStore::open(environment.settings.files, environment.database);
		FileStore fileStore(environment.database, *pContents);
		PythonXqueueFiles files(arguments.value("media-root").value_or(""), arguments.value("media-url").value_or(""),
			environment.settings.files.maxFileBytes, pContents->spoolDirectory());
		SubmissionImport importer(environment.database, environment.settings.leasePolicy());
		const Micros leaseDuration = static_cast<Micros>(environment.settings.leasePolicy().processingDelaySeconds) * MICROS_PER_SECOND;

		Poco::Int64 after = 0;
		for (;;)
		{
			std::vector<PythonXqueueSubmission> rows = pSource->unretired(after, BATCH);
			if (rows.empty()) break;
			after = rows.back().id;
			for (const auto& row: rows)
			{
				ImportedSubmission submission;
				submission.id = row.id;
				submission.queueName = row.queueName;
				submission.requesterId = row.requesterId;
				submission.submitterId = submitter;
				submission.callbackUrl = fullCallbackUrl(row);
				submission.header = row.header;
				submission.body = row.body;
				submission.arrivalTime = row.arrivalTime;
				submission.pullTime = row.pullTime;
				submission.graderId = row.graderId;
				submission.returnTime = row.returnTime;
				if (!row.graderReply.empty())
				{
					// Graded, the LMS did not take it: delivered from here, never graded again.
					submission.state = SubmissionState::GRADED;
					submission.graderReply = row.graderReply;
				}
				else if (!row.pullKey.empty() && row.pullTime != 0)
				{
					// A grader holds it: its key stays good until the lease the old server gave ends.
					submission.state = SubmissionState::LEASED;
					submission.leaseKey = row.pullKey;
					submission.leaseExpiresAt = row.pullTime + leaseDuration;
				}
				SubmissionImport::Outcome presence = importer.presence(submission);
				if (presence == SubmissionImport::Outcome::ALREADY_THERE)
				{
					++tally.already;
					continue;
				}
				if (presence == SubmissionImport::Outcome::CONFLICT)
				{
					environment.progress << "skipped submission " << row.id << " (queue " << row.queueName << "): another submission here has that id\n";
					++tally.conflicts;
					continue;
				}
				if (!environment.settings.findQueue(row.queueName)) ++tally.unconfigured[row.queueName];

				auto urls = fileUrls(row.urls);
				if (urls.size() == 1 && urls[0].first == EXTERNAL_DICTS)
				{
					// Too many files for the column: the old server kept their map beside them.
					try
					{
						auto pDicts = parseObject(files.readText(urls[0].second));
						if (!pDicts || !pDicts->has("files")) throw Poco::DataException("not a file map");
						std::ostringstream map;
						pDicts->getObject("files")->stringify(map);
						urls = fileUrls(map.str());
					}
					catch (Poco::Exception& exc)
					{
						environment.progress << "submission " << row.id << ": its file map cannot be read (" << exc.displayText() << "); the grader gets what the old server gave\n";
					}
				}
				std::vector<std::unique_ptr<UploadedFile>> copies;
				std::string kept = "{";
				for (const auto& [name, url]: urls)
				{
					if (filesMode == "copy" && !dryRun)
					{
						try
						{
							copies.push_back(files.read(name, url));
							++tally.filesCopied;
							continue;
						}
						catch (Poco::Exception& exc)
						{
							environment.progress << "submission " << row.id << ": file '" << name << "' keeps its URL: " << exc.displayText() << "\n";
						}
					}
					++tally.filesKept;
					// As the old server wrote the map (json.dumps), which graders parse.
					if (kept.size() > 1) kept += ", ";
					PythonJson::appendQuoted(kept, name);
					kept += ": ";
					PythonJson::appendQuoted(kept, url);
				}
				kept += "}";

				auto countImported = [&]() {
					++(submission.state == SubmissionState::GRADED ? tally.graded
						: submission.state == SubmissionState::LEASED ? tally.handedOut : tally.waiting);
				};
				if (dryRun)
				{
					countImported();
					continue;
				}

				FileAttachment attachment = fileStore.prepare(copies);
				// Copied files get keys (links signed here); the others keep their URLs.
				submission.files = copies.empty() ? kept : (kept == "{}" ? attachment.keyMap
					: attachment.keyMap.substr(0, attachment.keyMap.size() - 1) + ", " + kept.substr(1));
				Micros now = environment.database.currentTime();
				SubmissionImport::Outcome outcome = importer.import(submission, now,
					[&](Poco::Data::Session& session, Poco::Int64 id) { fileStore.attach(session, id, attachment, now); });
				fileStore.confirm(attachment);
				if (outcome == SubmissionImport::Outcome::IMPORTED) countImported();
				else ++tally.already; // another import ran at the same time and got there first
			}
			environment.progress << "read " << after << " (by id) so far\n";
		}
		environment.out << "submissions: " << tally.waiting + tally.handedOut + tally.graded << " imported (" << tally.waiting << " waiting, "
			<< tally.handedOut << " held by a grader, " << tally.graded << " graded with the result to deliver to the LMS), " << tally.already
			<< " already here, " << tally.conflicts << " skipped for an id conflict\n";
		environment.out << "files: " << tally.filesCopied << " copied here, " << tally.filesKept << " kept as the old server's URLs\n";
		for (const auto& [queue, count]: tally.unconfigured)
			environment.progress << "note: queue '" << queue << "' (" << count << " submissions) is not configured here: they wait until it is\n";
	}
	return tally.conflicts + tally.otherHash > 0 ? EXIT_FAILED : EXIT_DONE;
}


} // namespace XQueue
