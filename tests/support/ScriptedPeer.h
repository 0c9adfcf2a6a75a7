// SPDX-License-Identifier: Apache-2.0
//
// ScriptedPeer.h
//
// What FakeLms and FakeGrader share: an HTTP server on a free loopback port, the requests
// it received, the answers the test scripted (a default, and a queue of next ones), and a
// stop() that waits for handlers still running (Poco 1.11's stopAll() does not).
//


#ifndef XQueueTest_ScriptedPeer_INCLUDED
#define XQueueTest_ScriptedPeer_INCLUDED


#include "Poco/Net/HTTPRequestHandlerFactory.h"
#include "Poco/Net/HTTPServer.h"
#include "Poco/Net/HTTPServerParams.h"
#include "Poco/Net/ServerSocket.h"
#include "Poco/ThreadPool.h"
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>


namespace XQueueTest {


template <class Request, class Answer>
class ScriptedPeer
{
public:
	explicit ScriptedPeer(Answer defaultAnswer): _answer(std::move(defaultAnswer)) {}

	ScriptedPeer(const ScriptedPeer&) = delete;
	ScriptedPeer& operator = (const ScriptedPeer&) = delete;

	virtual ~ScriptedPeer() { stop(); }

	int port() const { return _port; }

	void answerWith(const Answer& answer)
		/// The answer to every following request.
	{
		std::lock_guard<std::mutex> lock(_mutex);
		_answer = answer;
	}

	void answerSequence(std::deque<Answer> answers)
		/// Answers to the next requests, then back to the default.
	{
		std::lock_guard<std::mutex> lock(_mutex);
		_sequence = std::move(answers);
	}

	std::vector<Request> received() const
	{
		std::lock_guard<std::mutex> lock(_mutex);
		return _received;
	}

	std::size_t count() const
	{
		std::lock_guard<std::mutex> lock(_mutex);
		return _received.size();
	}

	bool waitForCount(std::size_t n, std::chrono::milliseconds timeout) const
	{
		std::unique_lock<std::mutex> lock(_mutex);
		return _changed.wait_for(lock, timeout, [&]() { return _received.size() >= n; });
	}

	int maxConcurrent() const
	{
		std::lock_guard<std::mutex> lock(_mutex);
		return _maxInFlight;
	}

	// For the request handlers.

	bool enter()
		/// False once the peer is stopping: the handler must not touch it then.
	{
		std::lock_guard<std::mutex> lock(_mutex);
		if (_closing) return false;
		_maxInFlight = std::max(_maxInFlight, ++_inFlight);
		return true;
	}

	void leave()
		/// The handler's last call: the peer may be destroyed once no handler is inside.
	{
		{
			std::lock_guard<std::mutex> lock(_mutex);
			--_inFlight;
		}
		_changed.notify_all();
	}

	void record(Request request)
	{
		{
			std::lock_guard<std::mutex> lock(_mutex);
			_received.push_back(std::move(request));
		}
		_changed.notify_all();
	}

	Answer next()
	{
		std::lock_guard<std::mutex> lock(_mutex);
		if (_sequence.empty()) return _answer;
		Answer answer = std::move(_sequence.front());
		_sequence.pop_front();
		return answer;
	}

	void hold(std::chrono::milliseconds delay)
		/// Sleeps, but returns at once when the peer is stopping.
	{
		std::unique_lock<std::mutex> lock(_mutex);
		_changed.wait_for(lock, delay, [&]() { return _closing; });
	}

protected:
	void start(Poco::Net::HTTPRequestHandlerFactory* pFactory, int threads)
	{
		Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
		_port = socket.address().port();
		auto* pParams = new Poco::Net::HTTPServerParams;
		pParams->setMaxThreads(threads);
		Poco::ThreadPool::defaultPool().addCapacity(threads);
		_pServer = std::make_unique<Poco::Net::HTTPServer>(pFactory, socket, pParams);
		_pServer->start();
	}

	void stop()
		/// Called by the derived class's destructor, before its own members go.
	{
		if (!_pServer) return;
		{
			std::lock_guard<std::mutex> lock(_mutex);
			_closing = true;
		}
		_changed.notify_all();
		_pServer->stopAll(true);
		std::unique_lock<std::mutex> lock(_mutex);
		_changed.wait_for(lock, std::chrono::seconds(10), [&]() { return _inFlight == 0; });
		lock.unlock();
		_pServer.reset();
	}

private:
	std::unique_ptr<Poco::Net::HTTPServer> _pServer;
	int _port = 0;
	mutable std::mutex _mutex;
	mutable std::condition_variable _changed;
	std::vector<Request> _received;
	Answer _answer;
	std::deque<Answer> _sequence;
	int _inFlight = 0;
	int _maxInFlight = 0;
	bool _closing = false;
};


} // namespace XQueueTest


#endif // XQueueTest_ScriptedPeer_INCLUDED
