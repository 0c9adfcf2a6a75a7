// SPDX-License-Identifier: Apache-2.0
//
// GroupCommitWriter.cpp
//


#include "store/GroupCommitWriter.h"
#include "store/StoreUnavailableException.h"
#include <algorithm>
#include <optional>


using Poco::Data::Keywords::now;


namespace XQueue {


namespace
{
	void rollbackQuietly(Poco::Data::Session& s)
	{
		try
		{
			s << "ROLLBACK", now;
		}
		catch (...)
		{
		}
	}

	std::string describe(std::exception_ptr error)
	{
		try
		{
			std::rethrow_exception(error);
		}
		catch (Poco::Exception& exc)
		{
			return exc.displayText();
		}
		catch (std::exception& exc)
		{
			return exc.what();
		}
		catch (...)
		{
			return "unknown error";
		}
	}
}


GroupCommitWriter::GroupCommitWriter(SessionSource sessionSource, std::size_t maxBatch, std::string synchronous):
	_sessionSource(std::move(sessionSource)),
	_maxBatch(std::max<std::size_t>(1, maxBatch)),
	_synchronous(std::move(synchronous))
{
}


void GroupCommitWriter::run(const Work& work, bool durable)
{
	Pending mine{&work, durable, nullptr, false};
	std::unique_lock<std::mutex> lock(_mutex);
	_queue.push_back(&mine);
	while (!mine.done)
	{
		if (_leading)
		{
			_batchDone.wait(lock);
			continue;
		}
		_leading = true;
		std::size_t count = std::min(_queue.size(), _maxBatch);
		std::vector<Pending*> batch(_queue.begin(), _queue.begin() + static_cast<std::ptrdiff_t>(count));
		_queue.erase(_queue.begin(), _queue.begin() + static_cast<std::ptrdiff_t>(count));
		lock.unlock();
		try
		{
			runBatch(batch);
		}
		catch (...)
		{
			// Whatever escaped (not a Poco::Exception): nobody's work counts as committed,
			// and the writer must not stay "leading" forever.
			_session.reset();
			for (Pending* p: batch)
			{
				if (!p->error) p->error = std::current_exception();
			}
		}
		lock.lock();
		// Marked under the lock: a caller may return (and its Pending go) as soon as it
		// sees done, and must see its error with it.
		for (Pending* p: batch) p->done = true;
		_leading = false;
		++_batches;
		_works += batch.size();
		_batchDone.notify_all();
	}
	lock.unlock();
	if (mine.error) std::rethrow_exception(mine.error);
}


void GroupCommitWriter::runBatch(const std::vector<Pending*>& batch)
{
	auto failAll = [&](std::exception_ptr error) {
		for (Pending* p: batch)
		{
			if (!p->error) p->error = error;
		}
	};
	auto unavailable = [](const std::string& why) {
		return std::make_exception_ptr(StoreUnavailableException(why));
	};

	// NORMAL only lowers FULL or EXTRA (a configured OFF or NORMAL stays as it is), and only
	// for this batch: the session goes back to the configured level after it.
	const bool relaxed = std::none_of(batch.begin(), batch.end(), [](const Pending* p) { return p->durable; })
		&& (_synchronous == "FULL" || _synchronous == "EXTRA");
	struct RestoreLevel
	{
		GroupCommitWriter& writer;
		bool relaxed;
		~RestoreLevel()
		{
			if (!relaxed || !writer._session) return;
			try
			{
				*writer._session << "PRAGMA synchronous = " + writer._synchronous, now;
			}
			catch (...)
			{
				writer._session.reset(); // a new one is set to the level when taken
			}
		}
	} restoreLevel{*this, relaxed};
	Poco::Data::Session* pSession = nullptr;
	try
	{
		pSession = &writerSession();
		if (relaxed) *pSession << "PRAGMA synchronous = NORMAL", now;
		*pSession << "BEGIN IMMEDIATE", now;
	}
	catch (StoreUnavailableException&)
	{
		failAll(std::current_exception());
		return;
	}
	catch (Poco::Exception& exc)
	{
		_session.reset(); // the next batch starts on a fresh session
		failAll(unavailable("cannot begin a write transaction: " + exc.displayText()));
		return;
	}
	Poco::Data::Session& s = *pSession;

	if (batch.size() == 1)
	{
		// Alone: no savepoint needed, a failure rolls back the transaction.
		try
		{
			(*batch[0]->pWork)(s);
		}
		catch (...)
		{
			rollbackQuietly(s);
			failAll(std::current_exception());
			return;
		}
	}
	else
	{
		for (std::size_t i = 0; i < batch.size(); ++i)
		{
			Pending* p = batch[i];
			try
			{
				s << "SAVEPOINT work", now;
				(*p->pWork)(s);
				s << "RELEASE work", now;
			}
			catch (...)
			{
				p->error = std::current_exception();
				try
				{
					s << "ROLLBACK TO work", now;
					s << "RELEASE work", now;
				}
				catch (...)
				{
					// SQLite rolled the whole transaction back (I/O error, disk full):
					// the works before this one are lost with it.
					rollbackQuietly(s);
					_session.reset();
					failAll(unavailable("write transaction aborted: " + describe(p->error)));
					return;
				}
			}
		}
	}
	try
	{
		s << "COMMIT", now;
	}
	catch (Poco::Exception& exc)
	{
		rollbackQuietly(s);
		_session.reset();
		failAll(unavailable("commit failed: " + exc.displayText()));
		return;
	}
}


Poco::Data::Session& GroupCommitWriter::writerSession()
{
	// Only the leader of a batch gets here, so no lock is needed. The writer touches the
	// hot index pages of every table: a 16 MiB page cache (SQLite's default is 2 MiB)
	// keeps them in memory when the tables hold millions of rows.
	if (!_session)
	{
		_session.emplace(_sessionSource());
		*_session << "PRAGMA cache_size = -16384", now;
		// A pooled session may come back from a relaxed batch that failed half-way.
		*_session << "PRAGMA synchronous = " + _synchronous, now;
	}
	return *_session;
}


std::size_t GroupCommitWriter::batches() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	return _batches;
}


std::size_t GroupCommitWriter::works() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	return _works;
}


} // namespace XQueue
