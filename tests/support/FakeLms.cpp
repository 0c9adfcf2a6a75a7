//
// FakeLms.cpp
//


#include "FakeLms.h"
#include "Poco/Net/HTMLForm.h"
#include "Poco/Net/HTTPRequestHandler.h"
#include "Poco/Net/HTTPRequestHandlerFactory.h"
#include "Poco/Net/HTTPServerParams.h"
#include "Poco/Net/HTTPServerRequest.h"
#include "Poco/Net/HTTPServerResponse.h"
#include "Poco/Net/ServerSocket.h"
#include "Poco/StreamCopier.h"
#include <sstream>


namespace XQueueTest {


namespace
{
	class CallbackHandler: public Poco::Net::HTTPRequestHandler
	{
	public:
		explicit CallbackHandler(FakeLms& lms): _lms(lms) {}

		void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override
		{
			if (!_lms.enter()) return;
			try
			{
				serve(request, response);
			}
			catch (...)
			{
			}
			_lms.leave();
		}

	private:
		void serve(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response)
		{
			Callback cb;
			cb.path = request.getURI();
			cb.contentType = request.getContentType();
			cb.authorization = request.get("Authorization", "");
			Poco::StreamCopier::copyToString(request.stream(), cb.rawBody);
			Poco::Net::HTMLForm form;
			std::istringstream body(cb.rawBody);
			try
			{
				form.read(body);
				for (const auto& field: form) cb.form[field.first] = field.second;
			}
			catch (...)
			{
			}
			cb.answeredStatus = _lms.nextStatus();
			_lms.record(cb);
			_lms.holdAnswer();
			response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(cb.answeredStatus));
			response.setContentLength(0);
			response.send();
		}

		FakeLms& _lms;
	};

	class Factory: public Poco::Net::HTTPRequestHandlerFactory
	{
	public:
		explicit Factory(FakeLms& lms): _lms(lms) {}
		Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
		{
			return new CallbackHandler(_lms);
		}

	private:
		FakeLms& _lms;
	};
}


FakeLms::FakeLms()
{
	Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
	_port = socket.address().port();
	auto* pParams = new Poco::Net::HTTPServerParams;
	pParams->setMaxThreads(8);
	_pServer = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, pParams);
	_pServer->start();
}


FakeLms::~FakeLms()
{
	{
		std::lock_guard<std::mutex> lock(_mutex);
		_closing = true;
	}
	_changed.notify_all();
	_pServer->stopAll(true);
	// Poco 1.11's stopAll() does not wait for handlers still running: wait for them here.
	std::unique_lock<std::mutex> lock(_mutex);
	_changed.wait_for(lock, std::chrono::seconds(10), [&]() { return _active == 0; });
}


bool FakeLms::enter()
{
	std::lock_guard<std::mutex> lock(_mutex);
	if (_closing) return false;
	++_active;
	return true;
}


void FakeLms::leave()
{
	{
		std::lock_guard<std::mutex> lock(_mutex);
		--_active;
	}
	_changed.notify_all();
}


int FakeLms::port() const
{
	return _port;
}


std::string FakeLms::callbackUrl(const std::string& suffix) const
{
	return "http://127.0.0.1:" + std::to_string(_port) + "/courses/c1/xqueue/" + suffix + "/score_update";
}


void FakeLms::answerWith(int status)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_status = status;
}


void FakeLms::answerAfter(std::chrono::milliseconds delay)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_delay = delay;
}


void FakeLms::holdAnswer()
{
	std::unique_lock<std::mutex> lock(_mutex);
	_changed.wait_for(lock, _delay, [&]() { return _closing; });
}


void FakeLms::answerSequence(std::deque<int> statuses)
{
	std::lock_guard<std::mutex> lock(_mutex);
	_sequence = std::move(statuses);
}


int FakeLms::nextStatus()
{
	std::lock_guard<std::mutex> lock(_mutex);
	if (!_sequence.empty())
	{
		int status = _sequence.front();
		_sequence.pop_front();
		return status;
	}
	return _status;
}


void FakeLms::record(Callback callback)
{
	{
		std::lock_guard<std::mutex> lock(_mutex);
		_callbacks.push_back(std::move(callback));
	}
	_changed.notify_all();
}


std::vector<Callback> FakeLms::callbacks() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	return _callbacks;
}


std::size_t FakeLms::count() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	return _callbacks.size();
}


bool FakeLms::waitForCount(std::size_t n, std::chrono::milliseconds timeout) const
{
	std::unique_lock<std::mutex> lock(_mutex);
	return _changed.wait_for(lock, timeout, [&]() { return _callbacks.size() >= n; });
}


} // namespace XQueueTest
