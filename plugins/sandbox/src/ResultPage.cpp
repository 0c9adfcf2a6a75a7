// SPDX-License-Identifier: Apache-2.0
//
// ResultPage.cpp
//


#include "ResultPage.h"
#include "xqueue/sdk/Grade.hpp"
#include "xqueue/sdk/PythonJson.hpp"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/Parser.h"
#include <stdexcept>


namespace XQueuePlugin {


namespace
{
	using xqueue::sdk::htmlEscape;

	// The watcher's templates, byte for byte (grader.py).
	const char* const PAGE_START = "\n<div class=\"test\">\n<header>Test results</header>\n  <section>\n    <div class=\"shortform\">\n    ";
	const char* const PAGE_MIDDLE = "\n    </div>\n    <div class=\"longform\">\n      ";
	const char* const PAGE_END = "\n    </div>\n  </section>\n</div>\n";

	std::string text(const Poco::Dynamic::Var& value)
		/// Python's str() of a JSON value, for the few shapes graders print.
	{
		if (value.isEmpty()) return "None";
		if (value.isBoolean()) return value.extract<bool>() ? "True" : "False";
		if (value.isString()) return value.extract<std::string>();
		if (value.isInteger()) return value.toString();
		if (value.isNumeric()) return xqueue::sdk::pythonFloatRepr(value.convert<double>());
		return value.toString();
	}

	bool truthy(const Poco::Dynamic::Var& value)
	{
		if (value.isEmpty()) return false;
		if (value.isBoolean()) return value.extract<bool>();
		if (value.isNumeric()) return value.convert<double>() != 0;
		if (value.isString()) return !value.extract<std::string>().empty();
		return true;
	}

	std::string renderTest(const TestResult& test)
	{
		const std::string longForm = test.longDescription.empty() ? "" : "<p>" + htmlEscape(test.longDescription) + "</p>";
		if (test.correct)
			return "\n  <div class=\"result-output result-correct\">\n    <h4>" + htmlEscape(test.shortDescription) + "</h4>\n    <pre>" + longForm +
				"</pre>\n    <dl>\n    <dt>Output:</dt>\n    <dd class=\"result-actual-output\">\n       <pre>" + htmlEscape(test.actualOutput) +
				"</pre>\n       </dd>\n    </dl>\n  </div>\n";
		return "\n  <div class=\"result-output result-incorrect\">\n    <h4>" + htmlEscape(test.shortDescription) + "</h4>\n    <pre>" + longForm +
			"</pre>\n    <dl>\n    <dt>Your output:</dt>\n    <dd class=\"result-actual-output\"><pre>" + htmlEscape(test.actualOutput) +
			"</pre></dd>\n    <dt>Correct output:</dt>\n    <dd><pre>" + htmlEscape(test.expectedOutput) + "</pre></dd>\n    </dl>\n  </div>\n";
	}

	std::string renderErrors(const std::vector<std::string>& errors)
	{
		if (errors.empty()) return "";
		std::string items;
		for (std::size_t i = 0; i < errors.size(); ++i)
			items += (i ? "\n" : "") + std::string("<li><pre>") + htmlEscape(errors[i]) + "</pre></li>\n";
		return "<div class=\"result-errors\"><ul>\n" + items + "</ul>\n</div>";
	}
}


GraderResults GraderResults::parse(const std::string& line)
{
	Poco::JSON::Object::Ptr object;
	try
	{
		Poco::JSON::Parser parser;
		object = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
	}
	catch (const Poco::Exception&)
	{
		throw std::invalid_argument("the grader's last line is not a JSON object");
	}
	catch (const std::exception&)
	{
		throw std::invalid_argument("the grader's last line is not a JSON object");
	}
	GraderResults results;
	results.correct = truthy(object->get("correct"));
	Poco::Dynamic::Var score = object->get("score");
	if (score.isEmpty() || score.isBoolean() || !score.isNumeric()) throw std::invalid_argument("the grader's results have no numeric score");
	results.score = score.isInteger() ? score.toString() : xqueue::sdk::pythonFloat(score.convert<double>());
	if (auto errors = object->getArray("errors"))
	{
		for (std::size_t i = 0; i < errors->size(); ++i) results.errors.push_back(text(errors->get(i)));
	}
	if (auto tests = object->getArray("tests"))
	{
		for (std::size_t i = 0; i < tests->size(); ++i)
		{
			auto test = tests->getArray(i);
			if (!test || test->size() < 5) throw std::invalid_argument("a test result is not [short, long, correct, expected, actual]");
			results.tests.push_back(TestResult{text(test->get(0)), test->get(1).isEmpty() ? "" : text(test->get(1)), truthy(test->get(2)),
				text(test->get(3)), text(test->get(4))});
		}
	}
	return results;
}


GraderResults GraderResults::runFailed()
{
	GraderResults results;
	results.errors.push_back("There was a problem running your code (Staff debug). Please contact the course staff for assistance.");
	return results;
}


std::string ResultPage::render(const GraderResults& results)
{
	std::string tests;
	for (const auto& test: results.tests) tests += renderTest(test);
	const std::string errors = renderErrors(results.errors);
	const char* status = !errors.empty() ? "ERROR" : results.correct ? "CORRECT" : "INCORRECT";
	const std::string msg = PAGE_START + std::string(status) + PAGE_MIDDLE + errors + "\n      " + tests + PAGE_END;
	std::string out = "{\"correct\": ";
	out += results.correct ? "true" : "false";
	out += ", \"score\": " + results.score + ", \"msg\": ";
	xqueue::sdk::appendJsonString(out, msg);
	out += '}';
	return out;
}


} // namespace XQueuePlugin
