// SPDX-License-Identifier: Apache-2.0
//
// GroupCommitWriter.h
//
// Group commit for SQLite: the write transactions that threads ask for at the same time
// run one after the other inside a single database transaction, so that a batch costs
// one COMMIT (one WAL fsync) instead of one each. Every caller still returns only after
// its own work is durable, and a work that throws is undone alone (a SAVEPOINT each).
//


#ifndef XQueue_GroupCommitWriter_INCLUDED
#define XQueue_GroupCommitWriter_INCLUDED


#include "Poco/Data/Session.h"
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>


namespace XQueue {


class GroupCommitWriter
	/// Leader/follower batching without a thread of its own: the first caller to find no
	/// batch running becomes the leader, takes everything queued so far (up to maxBatch),
	/// runs it and wakes the others; whoever is still queued then leads the next batch.
	/// While one batch commits, the next one fills up, so the batch size follows the load
	/// (one at a time when idle, no added latency).
{
public:
	using Work = std::function<void(Poco::Data::Session&)>;
	using SessionSource = std::function<Poco::Data::Session()>;

	GroupCommitWriter(SessionSource sessionSource, std::size_t maxBatch, std::string synchronous = "FULL");
		/// synchronous: the sessions' level (PRAGMA synchronous), which durable batches keep.

	void run(const Work& work, bool durable = true);
		/// Runs work in a write transaction shared with concurrent callers and returns
		/// once it is committed. A batch of works that are all not durable commits with
		/// synchronous=NORMAL (in WAL mode: no fsync; a crash of the process loses nothing,
		/// one of the machine may lose it; the next durable commit makes it durable too). Rethrows what work threw (its changes are rolled back,
		/// the others' are not); throws StoreUnavailableException if the batch could not
		/// begin or commit (then nothing of it was committed).

	std::size_t batches() const;
	std::size_t works() const;
		/// Counters for the benchmark and the tests: batches committed, works in them.

private:
	struct Pending
	{
		const Work* pWork;
		bool durable = true;
		std::exception_ptr error;
		bool done = false;
	};

	void runBatch(const std::vector<Pending*>& batch);
	Poco::Data::Session& writerSession();

	SessionSource _sessionSource;
	std::optional<Poco::Data::Session> _session; /// kept between batches: its page cache stays warm
	std::size_t _maxBatch;
	std::string _synchronous;
	mutable std::mutex _mutex;
	std::condition_variable _batchDone;
	std::vector<Pending*> _queue;
	bool _leading = false;
	std::size_t _batches = 0;
	std::size_t _works = 0;
};


} // namespace XQueue


#endif // XQueue_GroupCommitWriter_INCLUDED
