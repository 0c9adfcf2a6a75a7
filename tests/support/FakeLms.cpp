// SPDX-License-Identifier: Apache-2.0
//
// FakeLms.cpp
//


#include "FakeLms.h"
#include "Poco/Net/HTMLForm.h"
#include "Poco/Net/HTTPRequestHandler.h"
#include "Poco/Net/HTTPRequestHandlerFactory.h"
#include "Poco/Net/HTTPServerRequest.h"
#include "Poco/Net/HTTPServerResponse.h"
#include "Poco/StreamCopier.h"
#include "Poco/String.h"
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
			cb.arrived = std::chrono::steady_clock::now();
			cb.path = request.getURI();
			cb.contentType = request.getContentType();
			cb.authorization = request.get("Authorization", "");
			for (const auto& header: request) cb.headers[Poco::toLower(header.first)] = header.second;
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
			cb.answeredStatus = _lms.next();
			_lms.record(cb);
			_lms.hold(_lms.answerDelay());
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


FakeLms::FakeLms():
	ScriptedPeer(200)
{
	start(new Factory(*this), 8);
}


FakeLms::~FakeLms()
{
	stop();
}


std::string FakeLms::callbackUrl(const std::string& suffix) const
{
	return "http://127.0.0.1:" + std::to_string(port()) + "/courses/c1/xqueue/" + suffix + "/score_update";
}


void FakeLms::answerAfter(std::chrono::milliseconds delay)
{
	_delayMs = delay.count();
}


std::chrono::milliseconds FakeLms::answerDelay() const
{
	return std::chrono::milliseconds(_delayMs.load());
}


std::vector<Callback> FakeLms::callbacks() const
{
	return received();
}


} // namespace XQueueTest
