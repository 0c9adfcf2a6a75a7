// SPDX-License-Identifier: Apache-2.0
//
// PutResultHandler.cpp
//


#include "http/handlers/PutResultHandler.h"
#include "config/ServerSettings.h"
#include "delivery/ResultRecorder.h"
#include "metrics/Metrics.h"
#include "protocol/HeaderFields.h"
#include "queue/GradeCheck.h"
#include "util/Digest.h"


namespace XQueue {


namespace
{
	const std::string INCORRECT_FORMAT = "Incorrect reply format";
}


void PutResultHandler::handle(HttpExchange& exchange)
{
	if (!exchange.isMethod("POST"))
	{
		exchange.sendEnvelope(1, "'put_result' must use HTTP POST");
		return;
	}
	const FormData& form = exchange.form();
	auto header = form.field("xqueue_header");
	auto body = form.field("xqueue_body");
	if (!header || !body)
	{
		exchange.sendEnvelope(1, INCORRECT_FORMAT);
		return;
	}
	auto pHeader = HeaderFields::parseObject(*header);
	if (!pHeader || !pHeader->has("submission_id") || !pHeader->has("submission_key"))
	{
		exchange.sendEnvelope(1, INCORRECT_FORMAT);
		return;
	}
	// The old server answered 500 to an id Python's int() rejects.
	auto id = HeaderFields::pythonInt(pHeader->get("submission_id"));
	if (!id)
	{
		exchange.sendEnvelope(1, INCORRECT_FORMAT);
		return;
	}
	// A key that is not a string never matches, as before.
	Poco::Dynamic::Var keyValue = pHeader->get("submission_key");
	std::string key = keyValue.isString() ? keyValue.extract<std::string>() : std::string();
	exchange.annotate("submission", std::to_string(*id));

	// A grade the LMS would drop ("Invalid grader reply") or fail on (500) is refused here,
	// where the grader can still fix it; the submission stays leased. Unknown ids and wrong
	// keys are answered as before, whatever the grade.
	if (auto problem = GradeCheck::problem(*body, context().settings.http.maxFieldBytes))
	{
		auto record = context().submissions.find(*id);
		if (!record || !exchange.access().mayGrade(record->queueName))
			exchange.sendEnvelope(1, "Submission does not exist"); // no oracle for other queues' ids
		else if (record->leaseKey.empty() || !Digest::constantTimeEquals(record->leaseKey, key))
			exchange.sendEnvelope(1, "Incorrect key for submission");
		else
		{
			Metrics::instance().add("xqueue_results_total", {{"outcome", "invalid_grade"}});
			exchange.sendEnvelope(1, "Invalid grade: " + *problem + "; xqueue_body must be a JSON object with \"correct\","
				" a numeric \"score\" and a string \"msg\"");
		}
		return;
	}

	const UserAccess& access = exchange.access();
	PutResultOutcome outcome = ResultRecorder(context().submissions, context().delivery).record(*id, key, *body,
		[&](const std::string& queue) { return access.mayGrade(queue); });
	static const char* const LABELS[] = {"accepted", "duplicate", "ignored", "not_found", "wrong_key", "forbidden"};
	Metrics::instance().add("xqueue_results_total", {{"outcome", LABELS[static_cast<int>(outcome)]}});
	switch (outcome)
	{
	case PutResultOutcome::NOT_FOUND:
		exchange.sendEnvelope(1, "Submission does not exist");
		return;
	case PutResultOutcome::WRONG_KEY:
		exchange.sendEnvelope(1, "Incorrect key for submission");
		return;
	case PutResultOutcome::FORBIDDEN:
		// As if it did not exist: a grader learns nothing of other queues' submissions.
		exchange.sendEnvelope(1, "Submission does not exist");
		return;
	case PutResultOutcome::ACCEPTED:
	case PutResultOutcome::DUPLICATE:
	case PutResultOutcome::IGNORED:
		exchange.sendEnvelope(0, "");
		return;
	}
}


} // namespace XQueue
