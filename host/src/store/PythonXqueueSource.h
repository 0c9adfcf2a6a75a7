// SPDX-License-Identifier: Apache-2.0
//
// PythonXqueueSource.h
//
// Reads a Python xqueue's database (Django's tables auth_user and queue_submission, on
// SQLite or MySQL) for a cut-over: its accounts with their password hashes, and every
// submission it has not retired. Read only; the old server may still be running.
//


#ifndef XQueue_PythonXqueueSource_INCLUDED
#define XQueue_PythonXqueueSource_INCLUDED


#include "util/Clock.h"
#include "Poco/Data/Session.h"
#include <memory>
#include <string>
#include <vector>


namespace XQueue {


struct PythonXqueueUser
{
	std::string username;
	std::string passwordHash; /// Django's encoded form ("!..." when unusable)
	bool active = true;
};


struct PythonXqueueSubmission
	/// One row of queue_submission, its times in micros since the epoch (0 for NULL).
{
	Poco::Int64 id = 0;
	std::string queueName;
	std::string requesterId;
	std::string callbackUrl; /// the column (cut at 128 characters by the old server)
	std::string header;
	std::string body;
	std::string urls;        /// s3_urls: JSON {file name: URL} or {"URL_FOR_EXTERNAL_DICTS": URL}
	Micros arrivalTime = 0;
	Micros pullTime = 0;
	std::string graderId;
	std::string pullKey;
	std::string graderReply;
	Micros returnTime = 0;
	int numFailures = 0;
};


class PythonXqueueSource
{
public:
	static std::unique_ptr<PythonXqueueSource> open(const std::string& location, const std::string& password);
		/// location: sqlite:PATH, or mysql:host=...;port=...;user=...;db=... (Poco's keys;
		/// password, if not empty, is added). Throws Poco::Exception saying what failed,
		/// including a database that is not a Python xqueue's.

	~PythonXqueueSource();

	std::vector<PythonXqueueUser> users();

	std::vector<PythonXqueueSubmission> unretired(Poco::Int64 afterId, std::size_t limit);
		/// The next unretired submissions by id: a batch at a time, so that a large
		/// backlog is never held whole.

	std::string description() const;
		/// The database, for messages (without the password).

private:
	PythonXqueueSource(std::string connector, std::string connection, std::string description);

	std::string timeColumn(const std::string& column) const;
	std::string longText(Poco::Int64 id, const std::string& column);

	std::string _connector;
	std::string _description;
	Poco::Data::Session _session;
};


} // namespace XQueue


#endif // XQueue_PythonXqueueSource_INCLUDED
