// SPDX-License-Identifier: Apache-2.0
//
// FakeGrader.cpp
//


#include "FakeGrader.h"
#include "Poco/Net/HTTPRequestHandler.h"
#include "Poco/Net/HTTPRequestHandlerFactory.h"
#include "Poco/Net/HTTPServerRequest.h"
#include "Poco/Net/HTTPServerResponse.h"
#include "Poco/StreamCopier.h"
#include "Poco/String.h"


namespace XQueueTest {


namespace
{
	class GraderHandler: public Poco::Net::HTTPRequestHandler
	{
	public:
		explicit GraderHandler(FakeGrader& grader): _grader(grader) {}

		void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override
		{
			if (!_grader.enter()) return;
			GraderRequest r;
			r.arrived = std::chrono::steady_clock::now();
			r.hasContentType = request.has("Content-Type");
			r.contentType = request.get("Content-Type", "");
			for (const auto& header: request) r.headers[Poco::toLower(header.first)] = header.second;
			Poco::StreamCopier::copyToString(request.stream(), r.body);
			_grader.record(r);
			GraderAnswer answer = _grader.next();
			if (answer.delayMs > 0) _grader.hold(std::chrono::milliseconds(answer.delayMs));
			try
			{
				response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
				response.setContentType("application/json");
				if (answer.dripMs > 0)
				{
					response.setContentLength(static_cast<std::streamsize>(answer.body.size()));
					std::ostream& out = response.send();
					for (char c: answer.body)
					{
						out.put(c).flush();
						if (!out) break;
						_grader.hold(std::chrono::milliseconds(answer.dripMs));
					}
				}
				else
				{
					response.sendBuffer(answer.body.data(), answer.body.size());
				}
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


FakeGrader::FakeGrader():
	ScriptedPeer(GraderAnswer())
{
	start(new Factory(*this), 16);
}


FakeGrader::~FakeGrader()
{
	stop();
}


std::string FakeGrader::url() const
{
	return "http://127.0.0.1:" + std::to_string(port()) + "/grade";
}


std::vector<GraderRequest> FakeGrader::requests() const
{
	return received();
}


} // namespace XQueueTest
