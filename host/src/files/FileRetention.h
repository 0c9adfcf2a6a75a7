// SPDX-License-Identifier: Apache-2.0
//
// FileRetention.h
//
// Removes files that are no longer needed, in small batches that never hold locks for
// long: files of finished submissions past the retention age; then contents no file
// refers to any more (their submissions were deleted or expired) once unused for a
// grace period; then bytes a crash left without a registered content. Runs in the
// background on every host (each step is safe to run concurrently), and on demand.
//


#ifndef XQueue_FileRetention_INCLUDED
#define XQueue_FileRetention_INCLUDED


#include "files/FileContentStore.h"
#include "store/Database.h"
#include "store/FileRecordStore.h"
#include "util/Clock.h"
#include "util/WorkerGroup.h"
#include "Poco/Logger.h"
#include <memory>


namespace XQueue {


struct RetentionPolicy
{
	int retentionDays = 30;      /// files of finished submissions older than this go; 0 = kept
	int orphanGraceSeconds = 3600; /// unreferenced contents and strays older than this go
};


struct SweepReport
{
	std::size_t expiredFiles = 0;
	std::size_t removedContents = 0;
	std::size_t removedStrays = 0;
};


class FileRetention
{
public:
	static constexpr int BATCH = 500;

	FileRetention(Database& database, FileContentStore& contents, const RetentionPolicy& policy);
	~FileRetention();

	SweepReport sweep(Micros now);

	void start(double intervalSeconds);
	void stop();

private:
	std::size_t expireFiles(Micros cutoff);
	std::size_t removeUnreferencedContents(Micros cutoff);
	bool removeContentIfUnreferenced(const std::string& contentHash, Micros cutoff);

	Database& _database;
	FileRecordStore _records;
	FileContentStore& _contents;
	RetentionPolicy _policy;
	std::unique_ptr<WorkerGroup> _pWorker;
	Poco::Logger& _logger;
};


} // namespace XQueue


#endif // XQueue_FileRetention_INCLUDED
