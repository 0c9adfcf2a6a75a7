// SPDX-License-Identifier: Apache-2.0
//
// SandboxGrader.cpp
//


#include "SandboxGrader.h"
#include "GraderPath.h"
#include "ResultPage.h"
#include "SandboxRun.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/Parser.h"
#include <filesystem>
#include <random>
#include <stdexcept>
#include <unistd.h>


namespace XQueuePlugin {


namespace
{
	Poco::JSON::Object::Ptr object(const std::string& text, const std::string& what)
	{
		try
		{
			Poco::JSON::Parser parser;
			auto parsed = parser.parse(text);
			if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) return parsed.extract<Poco::JSON::Object::Ptr>();
		}
		catch (const Poco::Exception&)
		{
		}
		throw std::invalid_argument(what + " is not a JSON object");
	}

	std::string lastLine(const std::string& output)
	{
		std::size_t end = output.size();
		while (end > 0)
		{
			std::size_t begin = output.rfind('\n', end - 1);
			begin = begin == std::string::npos ? 0 : begin + 1;
			std::string line = output.substr(begin, end - begin);
			std::size_t first = line.find_first_not_of(" \t\r\f\v");
			if (first != std::string::npos) return line.substr(first, line.find_last_not_of(" \t\r\f\v") - first + 1);
			end = begin == 0 ? 0 : begin - 1;
		}
		return "";
	}

	std::string describe(const xqueue::sdk::ChildResult& result)
	{
		if (result.timedOut) return "ran past its time limit";
		if (result.outputTruncated) return "wrote more output than its cap";
		if (WIFSIGNALED(result.status)) return "was killed by signal " + std::to_string(WTERMSIG(result.status));
		if (WIFEXITED(result.status) && WEXITSTATUS(result.status) != 0) return "exited with code " + std::to_string(WEXITSTATUS(result.status));
		return "printed no results";
	}
}


SandboxGrader::SandboxGrader(const SandboxSetup& setup, const SandboxLimits& limits, Log warn):
	_setup(setup),
	_limits(limits),
	_warn(std::move(warn))
{
	for (const char* tool: {SandboxRun::BWRAP, SandboxRun::PRLIMIT, SandboxRun::SETPRIV})
	{
		if (::access(tool, X_OK) != 0)
			throw std::invalid_argument(std::string(tool) + " is missing (Debian packages bubblewrap and util-linux)");
	}
	std::error_code error;
	if (!std::filesystem::is_directory(_setup.graderRoot, error))
		throw std::invalid_argument("grader_root '" + _setup.graderRoot + "' is not a directory");
	if (_setup.command.empty()) throw std::invalid_argument("command is empty");
}


std::string SandboxGrader::grade(std::int64_t submissionId, const std::string& xqueueBody) const
{
	auto body = object(xqueueBody, "the submission body");
	if (!body->has("student_response") || !body->has("grader_payload"))
		throw std::invalid_argument("the submission body lacks student_response or grader_payload");
	auto payload = object(body->getValue<std::string>("grader_payload"), "grader_payload");
	if (payload->has("skip_grader") && payload->get("skip_grader").convert<bool>())
	{
		GraderResults skipped;
		skipped.correct = true;
		skipped.score = "1";
		return ResultPage::render(skipped);
	}
	SandboxJob job;
	job.submissionId = submissionId;
	job.graderPath = GraderPath::resolve(_setup.graderRoot, payload->optValue<std::string>("grader", ""));
	job.code = body->getValue<std::string>("student_response");
	job.language = payload->optValue<std::string>("lang", "en");
	job.hideOutput = payload->has("hide_output") && payload->get("hide_output").convert<bool>();
	static thread_local std::mt19937 random{std::random_device{}()};
	job.seed = std::uniform_int_distribution<int>(0, 20000)(random);

	const std::string where = "submission " + std::to_string(submissionId) + " (grader " + job.graderPath + "): ";
	if (job.code.size() > SandboxRun::MAX_CODE_BYTES)
	{
		_warn(where + "the code is " + std::to_string(job.code.size()) + " bytes, more than the " + std::to_string(SandboxRun::MAX_CODE_BYTES) +
			" an environment variable can hold; not run");
		return ResultPage::render(GraderResults::runFailed());
	}
	xqueue::sdk::ChildResult result = SandboxRun::run(_setup, _limits, job);
	std::string line = result.exitedCleanly() ? lastLine(result.output) : "";
	if (!line.empty())
	{
		try
		{
			return ResultPage::render(GraderResults::parse(line));
		}
		catch (const std::invalid_argument& exc)
		{
			_warn(where + exc.what() + " (it begins: " + line.substr(0, 200) + ")");
			return ResultPage::render(GraderResults::runFailed());
		}
	}
	// The student's code is never logged; what the grader wrote to stderr may help staff.
	_warn(where + "the run " + describe(result) + (result.errors.empty() ? "" : "; stderr: " + result.errors.substr(0, 500)));
	return ResultPage::render(GraderResults::runFailed());
}


} // namespace XQueuePlugin
