// SPDX-License-Identifier: Apache-2.0
//
// PythonXqueueSource.cpp
//


#include "store/PythonXqueueSource.h"
#include "store/BlobText.h"
#include "Poco/Data/LOB.h"
#include "Poco/Data/MySQL/Connector.h"
#include "Poco/Data/SQLite/Connector.h"
#include "Poco/Exception.h"
#include "Poco/File.h"
#include "Poco/String.h"


using namespace Poco::Data::Keywords;


namespace XQueue {


namespace {


constexpr int CONNECT_TIMEOUT_SECONDS = 10;
constexpr int MYSQL_CHUNK_CHARACTERS = 16384; /// a SUBSTRING this long is a MEDIUMTEXT, which Poco reads safely


} // namespace


std::unique_ptr<PythonXqueueSource> PythonXqueueSource::open(const std::string& location, const std::string& password)
{
	if (Poco::startsWith(location, std::string("sqlite:")))
	{
		std::string path = location.substr(7);
		// Poco's SQLite connector would create an empty database for a mistyped path.
		if (path.empty() || !Poco::File(path).exists()) throw Poco::FileNotFoundException("no SQLite database at '" + path + "'");
		Poco::Data::SQLite::Connector::registerConnector();
		return std::unique_ptr<PythonXqueueSource>(new PythonXqueueSource("SQLite", path, "SQLite database " + path));
	}
	if (Poco::startsWith(location, std::string("mysql:")))
	{
		std::string connection = location.substr(6);
		if (connection.find("password=") != std::string::npos)
			throw Poco::InvalidArgumentException("put the source database's password in a file (--from-password-file), not in --from");
		std::string description = "MySQL database " + connection;
		if (!password.empty()) connection += ";password=" + password;
		connection += ";character-set=utf8mb4";
		Poco::Data::MySQL::Connector::registerConnector();
		return std::unique_ptr<PythonXqueueSource>(new PythonXqueueSource("MySQL", connection, description));
	}
	throw Poco::InvalidArgumentException("expected sqlite:PATH or mysql:host=...;port=...;user=...;db=..., found '" + location + "'");
}


PythonXqueueSource::PythonXqueueSource(std::string connector, std::string connection, std::string description):
	_connector(std::move(connector)),
	_description(std::move(description)),
	_session(_connector, connection, CONNECT_TIMEOUT_SECONDS)
{
	try
	{
		Poco::Int64 rows = 0;
		_session << "SELECT COUNT(*) FROM queue_submission WHERE id = 0", into(rows), now;
		_session << "SELECT COUNT(*) FROM auth_user WHERE id = 0", into(rows), now;
	}
	catch (Poco::Exception& exc)
	{
		throw Poco::DataFormatException("not a Python xqueue database (tables queue_submission and auth_user): " + exc.displayText());
	}
}


PythonXqueueSource::~PythonXqueueSource() = default;


std::string PythonXqueueSource::description() const
{
	return _description;
}


std::vector<PythonXqueueUser> PythonXqueueSource::users()
{
	std::vector<std::string> names, hashes;
	std::vector<int> active;
	_session << "SELECT username, password, is_active FROM auth_user ORDER BY id", into(names), into(hashes), into(active), now;
	std::vector<PythonXqueueUser> users;
	for (std::size_t i = 0; i < names.size(); ++i) users.push_back({names[i], hashes[i], active[i] != 0});
	return users;
}


std::string PythonXqueueSource::timeColumn(const std::string& column) const
{
	// Django keeps UTC (USE_TZ): SQLite as text "YYYY-MM-DD HH:MM:SS[.ffffff]", MySQL as DATETIME(6).
	if (_connector == "MySQL") return "COALESCE(TIMESTAMPDIFF(MICROSECOND, '1970-01-01', " + column + "), 0)";
	return "CASE WHEN " + column + " IS NULL THEN 0 ELSE CAST(strftime('%s', " + column + ") AS INTEGER) * 1000000"
		" + CAST(substr(" + column + " || '.000000', 21, 6) AS INTEGER) END";
}


std::string PythonXqueueSource::longText(Poco::Int64 id, const std::string& column)
{
	if (_connector != "MySQL")
	{
		Poco::Data::CLOB value; // not std::string: Poco's SQLite extractor would stop at a NUL byte
		_session << "SELECT " + column + " FROM queue_submission WHERE id = ?", use(id), into(value), now;
		return fromClob(value);
	}
	// A LONGTEXT read whole makes Poco 1.11 allocate its declared 4 GiB: read it in pieces.
	std::string value;
	for (int position = 1;; position += MYSQL_CHUNK_CHARACTERS)
	{
		Poco::Data::CLOB chunk;
		_session << "SELECT SUBSTRING(" + column + ", ?, " + std::to_string(MYSQL_CHUNK_CHARACTERS) + ") FROM queue_submission WHERE id = ?",
			use(position), use(id), into(chunk), now;
		if (chunk.size() == 0) break;
		value += fromClob(chunk);
	}
	return value;
}


std::vector<PythonXqueueSubmission> PythonXqueueSource::unretired(Poco::Int64 afterId, std::size_t limit)
{
	std::vector<Poco::Int64> ids, arrivals, pulls, returns;
	std::vector<std::string> queues, requesters, callbacks, headers, urls, graders, keys;
	std::vector<int> failures;
	Poco::Int64 batch = static_cast<Poco::Int64>(limit);
	_session << "SELECT id, queue_name, requester_id, lms_callback_url, xqueue_header, s3_urls, " + timeColumn("arrival_time") + ", "
			+ timeColumn("pull_time") + ", grader_id, pullkey, " + timeColumn("return_time") + ", num_failures"
			" FROM queue_submission WHERE retired = 0 AND id > ? ORDER BY id LIMIT ?",
		use(afterId), use(batch), into(ids), into(queues), into(requesters), into(callbacks), into(headers), into(urls), into(arrivals), into(pulls),
		into(graders), into(keys), into(returns), into(failures), now;
	std::vector<PythonXqueueSubmission> rows(ids.size());
	for (std::size_t i = 0; i < ids.size(); ++i)
	{
		PythonXqueueSubmission& row = rows[i];
		row.id = ids[i];
		row.queueName = queues[i];
		row.requesterId = requesters[i];
		row.callbackUrl = callbacks[i];
		row.header = headers[i];
		row.urls = urls[i];
		row.arrivalTime = arrivals[i];
		row.pullTime = pulls[i];
		row.graderId = graders[i];
		row.pullKey = keys[i];
		row.returnTime = returns[i];
		row.numFailures = failures[i];
		row.body = longText(row.id, "xqueue_body");
		row.graderReply = longText(row.id, "grader_reply");
	}
	return rows;
}


} // namespace XQueue
