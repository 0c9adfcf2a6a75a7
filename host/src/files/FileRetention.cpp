// SPDX-License-Identifier: Apache-2.0
//
// FileRetention.cpp
//


#include "files/FileRetention.h"
#include <vector>



namespace XQueue {


FileRetention::FileRetention(Database& database, FileContentStore& contents, const RetentionPolicy& policy):
	_database(database),
	_records(database),
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
	std::size_t expired = 0;
	for (;;)
	{
		std::vector<std::string> keys = _records.expiredFileKeys(cutoff, BATCH);
		if (keys.empty()) break;
		_records.deleteFiles(keys);
		expired += keys.size();
		if (keys.size() < static_cast<std::size_t>(BATCH)) break;
	}
	return expired;
}


std::size_t FileRetention::removeUnreferencedContents(Micros cutoff)
{
	std::size_t removed = 0;
	for (;;)
	{
		std::vector<std::string> hashes = _records.unreferencedContents(cutoff, BATCH);
		std::size_t removedNow = 0;
		for (const auto& hash: hashes)
		{
			auto eraseBytes = [&](Poco::Data::Session& s) { _contents.erase(s, hash); };
			if (_records.removeContentIfUnreferenced(hash, cutoff, eraseBytes)) ++removedNow;
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
		[&](const std::string& contentHash) { return _records.contentExists(contentHash); },
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
