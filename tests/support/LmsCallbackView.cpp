// SPDX-License-Identifier: Apache-2.0
//
// LmsCallbackView.cpp
//


#include "LmsCallbackView.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/Parser.h"
#include "Poco/Net/HTMLForm.h"
#include "Poco/Net/HTTPRequestHandler.h"
#include "Poco/Net/HTTPRequestHandlerFactory.h"
#include "Poco/Net/HTTPServerRequest.h"
#include "Poco/Net/HTTPServerResponse.h"
#include "Poco/StreamCopier.h"
#include "Poco/URI.h"
#include <regex>
#include <sstream>


namespace XQueueTest {


namespace
{
	const std::string COURSE = "course-v1:Org+C101+2024";

	class ViewHandler: public Poco::Net::HTTPRequestHandler
	{
	public:
		explicit ViewHandler(LmsCallbackView& view): _view(view) {}

		void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override
		{
			if (!_view.enter()) return;
			try
			{
				std::string raw;
				Poco::StreamCopier::copyToString(request.stream(), raw);
				std::map<std::string, std::string> form;
				try
				{
					Poco::Net::HTMLForm parsed;
					std::istringstream in(raw);
					parsed.read(in);
					for (const auto& field: parsed) form[field.first] = field.second;
				}
				catch (...)
				{
				}
				CallbackVerdict verdict = _view.judge(Poco::URI(request.getURI()).getPath(), form);
				_view.record(verdict);
				response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(verdict.status));
				response.setContentLength(0);
				response.send();
			}
			catch (...)
			{
			}
			_view.leave();
		}

	private:
		LmsCallbackView& _view;
	};

	class ViewFactory: public Poco::Net::HTTPRequestHandlerFactory
	{
	public:
		explicit ViewFactory(LmsCallbackView& view): _view(view) {}
		Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override { return new ViewHandler(_view); }

	private:
		LmsCallbackView& _view;
	};

	CallbackVerdict verdict(int status, const std::string& outcome)
	{
		CallbackVerdict v;
		v.status = status;
		v.outcome = outcome;
		return v;
	}
}


LmsCallbackView::LmsCallbackView():
	ScriptedPeer(200)
{
	start(new ViewFactory(*this), 16);
}


LmsCallbackView::~LmsCallbackView()
{
	stop();
}


std::string LmsCallbackView::callbackUrl(const std::string& userId, const std::string& usageId) const
{
	return "http://127.0.0.1:" + std::to_string(port()) + "/courses/" + COURSE + "/xqueue/" + userId + "/" + usageId + "/score_update";
}


void LmsCallbackView::expect(const std::string& userId, const std::string& usageId)
{
	std::lock_guard<std::mutex> lock(_problemsMutex);
	_problems[userId + "/" + usageId];
}


void LmsCallbackView::saveKey(const std::string& userId, const std::string& usageId, const std::string& key, Clock::time_point at)
{
	std::lock_guard<std::mutex> lock(_problemsMutex);
	Problem& problem = _problems[userId + "/" + usageId];
	problem.nextKey = key;
	problem.savedFrom = at;
}


CallbackVerdict LmsCallbackView::judge(const std::string& path, const std::map<std::string, std::string>& form)
{
	// The route: ^courses/<course>/xqueue/<userid>/<mod_id>/<dispatch>$
	static const std::regex ROUTE("^/courses/([^/]+)/xqueue/([^/]*)/(.*?)/([^/]*)$");
	std::smatch match;
	if (!std::regex_match(path, match, ROUTE)) return verdict(404, "no route");
	if (!form.count("xqueue_header") || !form.count("xqueue_body")) return verdict(404, "missing field");
	Poco::JSON::Object::Ptr pHeader;
	try
	{
		Poco::Dynamic::Var header = Poco::JSON::Parser().parse(form.at("xqueue_header"));
		if (header.type() == typeid(Poco::JSON::Object::Ptr)) pHeader = header.extract<Poco::JSON::Object::Ptr>();
	}
	catch (...)
	{
		return verdict(500, "header not JSON");
	}
	if (!pHeader || !pHeader->has("lms_key")) return verdict(404, "header without lms_key");
	const std::string problemId = std::string(match[2]) + "/" + std::string(match[3]);
	CallbackVerdict result;
	result.problem = problemId;
	result.grade = form.at("xqueue_body");
	{
		std::lock_guard<std::mutex> lock(_problemsMutex);
		if (match[1] != COURSE || !_problems.count(problemId))
		{
			result.status = 404;
			result.outcome = "unknown problem";
			return result;
		}
	}
	if (match[4] != "score_update")
	{
		result.outcome = "other dispatch";
		return result;
	}
	// CodeResponse._parse_score_msg: a JSON object with correct, score, msg; msg text.
	Poco::JSON::Object::Ptr pGrade;
	try
	{
		Poco::Dynamic::Var grade = Poco::JSON::Parser().parse(result.grade);
		if (grade.type() == typeid(Poco::JSON::Object::Ptr)) pGrade = grade.extract<Poco::JSON::Object::Ptr>();
	}
	catch (...)
	{
	}
	if (!pGrade || !pGrade->has("correct") || !pGrade->has("score") || !pGrade->has("msg") || !pGrade->get("msg").isString())
	{
		result.outcome = "invalid grader reply";
		return result;
	}
	// `score < 0` on a string raises: the view answers 500.
	Poco::Dynamic::Var score = pGrade->get("score");
	if (score.isEmpty() || !(score.isNumeric() || score.isBoolean()))
	{
		result.status = 500;
		result.outcome = "score not a number";
		return result;
	}
	const std::string key = pHeader->get("lms_key").toString();
	std::lock_guard<std::mutex> lock(_problemsMutex);
	Problem& problem = _problems[problemId];
	if (Clock::now() >= problem.savedFrom) problem.savedKey = problem.nextKey;
	if (problem.savedKey.empty() || key != problem.savedKey || problem.graded)
	{
		result.outcome = "key mismatch"; // logged and ignored by the LMS: the problem stays queued
		return result;
	}
	problem.graded = true;
	result.outcome = "applied";
	return result;
}


std::size_t LmsCallbackView::outcomes(const std::string& outcome) const
{
	std::size_t n = 0;
	for (const auto& v: received())
	{
		if (v.outcome == outcome) ++n;
	}
	return n;
}



} // namespace XQueueTest
