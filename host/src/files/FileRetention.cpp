// SPDX-License-Identifier: Apache-2.0
//
// FileRetention.cpp
//


#include "files/FileRetention.h"
#include "store/SubmissionState.h"
#include "Poco/Data/Statement.h"
#include <vector>


using namespace Poco::Data::Keywords;


namespace XQueue {


FileRetention::FileRetention(Database& database, FileContentStore& contents, const RetentionPolicy& policy):
	_database(database),
	_contents(contents),
	_policy(policy),
	_logger(Poco::Logger::get("xqueue.files"))
{
}


FileRetention::~FileRetention()
{
	stop();
}


std::size_t FileRetention::expireFiles(Micros cutoff)
{
	// Only finished submissions: a file is kept while a grader may still need it.
	int delivered = static_cast<int>(SubmissionState::DELIVERED);
	int superseded = static_cast<int>(SubmissionState::SUPERSEDED);
	int failed = static_cast<int>(SubmissionState::FAILED);
	std::size_t expired = 0;
	for (;;)
	{
		std::vector<std::string> keys;
		_database.read([&](Poco::Data::Session& s) {
			keys.clear();
			s << "SELECT f.file_key FROM submission_files f JOIN submissions s ON s.id = f.submission_id"
				" WHERE f.created_at < ? AND s.state IN (?, ?, ?) LIMIT " + std::to_string(BATCH),
				use(cutoff), use(delivered), use(superseded), use(failed), into(keys), now;
		});
		if (keys.empty()) break;
		_database.transaction([&](Poco::Data::Session& s) {
			for (const auto& key: keys) s << "DELETE FROM submission_files WHERE file_key = ?", useRef(key), now;
		});
		expired += keys.size();
		if (keys.size() < static_cast<std::size_t>(BATCH)) break;
	}
	return expired;
}


bool FileRetention::removeContentIfUnreferenced(const std::string& contentHash, Micros cutoff)
{
	bool removed = false;
	_database.transaction([&](Poco::Data::Session& s) {
		removed = false;
		// Locked and checked again: a submit may have reused the content meanwhile
		// (it touches the row, and on MySQL waits for this transaction).
		std::vector<Poco::Int64> touched;
		s << std::string("SELECT touched_at FROM file_contents WHERE content_hash = ?") +
				_database.forUpdate(),
			useRef(contentHash), into(touched), now;
		if (touched.empty() || touched[0] >= cutoff) return;
		Poco::Int64 references = 0;
		s << "SELECT COUNT(*) FROM submission_files WHERE content_hash = ?", useRef(contentHash), into(references), now;
		if (references > 0) return;
		_contents.erase(s, contentHash);
		s << "DELETE FROM file_contents WHERE content_hash = ?", useRef(contentHash), now;
		removed = true;
	});
	return removed;
}


std::size_t FileRetention::removeUnreferencedContents(Micros cutoff)
{
	std::size_t removed = 0;
	for (;;)
	{
		std::vector<std::string> hashes;
		_database.read([&](Poco::Data::Session& s) {
			hashes.clear();
			s << "SELECT c.content_hash FROM file_contents c WHERE c.touched_at < ?"
				" AND NOT EXISTS (SELECT 1 FROM submission_files f WHERE f.content_hash = c.content_hash)"
				" LIMIT " + std::to_string(BATCH),
				use(cutoff), into(hashes), now;
		});
		std::size_t removedNow = 0;
		for (const auto& hash: hashes)
		{
			if (removeContentIfUnreferenced(hash, cutoff)) ++removedNow;
		}
		removed += removedNow;
		if (hashes.size() < static_cast<std::size_t>(BATCH) || removedNow == 0) break;
	}
	return removed;
}


SweepReport FileRetention::sweep(Micros now)
{
	SweepReport report;
	if (_policy.retentionDays > 0)
		report.expiredFiles = expireFiles(now - static_cast<Micros>(_policy.retentionDays) * 86400 * MICROS_PER_SECOND);
	Micros graceCutoff = now - static_cast<Micros>(_policy.orphanGraceSeconds) * MICROS_PER_SECOND;
	report.removedContents = removeUnreferencedContents(graceCutoff);
	report.removedStrays = _contents.removeStrays(
		[&](const std::string& contentHash) {
			Poco::Int64 registered = 0;
			_database.read([&](Poco::Data::Session& s) {
				s << "SELECT COUNT(*) FROM file_contents WHERE content_hash = ?", useRef(contentHash), into(registered), Poco::Data::Keywords::now;
			});
			return registered > 0;
		},
		Poco::Timestamp(Clock::now() - static_cast<Micros>(_policy.orphanGraceSeconds) * MICROS_PER_SECOND));
	if (report.expiredFiles + report.removedContents + report.removedStrays > 0)
		_logger.information("file retention: %z files expired, %z contents and %z stray files removed",
			report.expiredFiles, report.removedContents, report.removedStrays);
	return report;
}


void FileRetention::start(double intervalSeconds)
{
	_pWorker = std::make_unique<WorkerGroup>(1, intervalSeconds, [this]() {
		try
		{
			sweep(_database.currentTime());
		}
		catch (Poco::Exception& exc)
		{
			_logger.error("file retention sweep failed (retried next interval): %s", exc.displayText());
		}
		return false;
	});
	_pWorker->start();
}


void FileRetention::stop()
{
	if (_pWorker)
	{
		_pWorker->stop();
		_pWorker.reset();
	}
}


} // namespace XQueue
