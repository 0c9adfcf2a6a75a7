//
// FakeGrader.cpp
//


#include "FakeGrader.h"
#include "Poco/Net/HTTPRequestHandler.h"
#include "Poco/Net/HTTPRequestHandlerFactory.h"
#include "Poco/Net/HTTPServerParams.h"
#include "Poco/Net/HTTPServerRequest.h"
#include "Poco/Net/HTTPServerResponse.h"
#include "Poco/Net/ServerSocket.h"
#include "Poco/StreamCopier.h"


namespace XQueueTest {


namespace
{
	class GraderHandler: public Poco::Net::HTTPRequestHandler
	{
	public:
		explicit GraderHandler(FakeGrader& grader): _grader(grader) {}

		void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override
		{
			_grader.enter();
			GraderRequest r;
			r.arrived = std::chrono::steady_clock::now();
			r.hasContentType = request.has("Content-Type");
			r.contentType = request.get("Content-Type", "");
			Poco::StreamCopier::copyToString(request.stream(), r.body);
			_grader.record(r);
			GraderAnswer answer = _grader.next();
			if (answer.delayMs > 0) _grader.delay(answer.delayMs);
			try
			{
				response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
				response.setContentType("application/json");
				response.sendBuffer(answer.body.data(), answer.body.size());
			}
			catch (...)
			{
				// the client gave up
			}
			_grader.leave(); // last: the grader may be destroyed once no handler is inside
		}

	private:
		FakeGrader& _grader;
	};

	class Factory: public Poco::Net::HTTPRequestHandlerFactory
	{
	public:
		explicit Factory(FakeGrader& grader): _grader(grader) {}
		Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
		{
			return new GraderHandler(_grader);
		}

	private:
		FakeGrader& _grader;
	};
}


FakeGrader::FakeGrader()
{
	Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
	_port = socket.address().port();
	auto* pParams = new Poco::Net::HTTPServerParams;
	pParams->setMaxThreads(16);
	Poco::ThreadPool::defaultPool().addCapacity(16);
	_pServer = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, pParams);
	_pServer->start();
}


FakeGrader::~FakeGrader()
{
	{
		std::lock_guard<std::mutex> lock(_mutex);
		_closing = true;
	}
	_changed.notify_all();
	_pServer->stopAll(true);
	// Poco 1.11's stopAll() does not wait for handlers still running: wait for them here.
	std::unique_lock<std::mutex> lock(_mutex);
	_changed.wait_for(lock, std::chrono::seconds(10), [&]() { return _inFlight == 0; });
}


void FakeGrader::delay(int milliseconds)
{
	std::unique_lock<std::mutex> lock(_mutex);
	_changed.wait_for(lock, std::chrono::milliseconds(milliseconds), [&]() { return _closing; });
}


std::string FakeGrader::url() const
{
	return "http://127.0.0.1:" + std::to_string(_port) + "/grade";
}


void FakeGrader::answerWith(const GraderAnswer& answer)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_answer = answer;
}


void FakeGrader::answerSequence(std::deque<GraderAnswer> answers)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_sequence = std::move(answers);
}


GraderAnswer FakeGrader::next()
{
	std::lock_guard<std::mutex> lock(_mutex);
	if (!_sequence.empty())
	{
		GraderAnswer a = _sequence.front();
		_sequence.pop_front();
		return a;
	}
	return _answer;
}


void FakeGrader::record(GraderRequest request)
{
	{
		std::lock_guard<std::mutex> lock(_mutex);
		_requests.push_back(std::move(request));
	}
	_changed.notify_all();
}


void FakeGrader::enter()
{
	std::lock_guard<std::mutex> lock(_mutex);
	++_inFlight;
	if (_inFlight > _maxInFlight) _maxInFlight = _inFlight;
}


void FakeGrader::leave()
{
	{
		std::lock_guard<std::mutex> lock(_mutex);
		--_inFlight;
	}
	_changed.notify_all();
}


std::vector<GraderRequest> FakeGrader::requests() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	return _requests;
}


std::size_t FakeGrader::count() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	return _requests.size();
}


bool FakeGrader::waitForCount(std::size_t n, std::chrono::milliseconds timeout) const
{
	std::unique_lock<std::mutex> lock(_mutex);
	return _changed.wait_for(lock, timeout, [&]() { return _requests.size() >= n; });
}


int FakeGrader::maxConcurrent() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	return _maxInFlight;
}


} // namespace XQueueTest
