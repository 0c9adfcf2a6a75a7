// SPDX-License-Identifier: Apache-2.0
//
// SubmitHandler.cpp
//


#include "http/handlers/SubmitHandler.h"
#include "auth/CallbackAllowList.h"
#include "files/UploadCollector.h"
#include "metrics/Metrics.h"
#include "protocol/HeaderFields.h"
#include "protocol/PythonJson.h"
#include "queue/SubmissionService.h"
#include "store/SubmissionStore.h"


namespace XQueue {


namespace
{
	const std::string INVALID_FORMAT = "Queue request has invalid format";
}


void SubmitHandler::handle(HttpExchange& exchange)
{
	if (!exchange.isMethod("POST"))
	{
		exchange.sendEnvelope(1, "Queue requests should use HTTP POST");
		return;
	}
	UploadCollector uploads(context().uploadLimits); // spool files are removed when it goes
	const FormData& form = exchange.form(&uploads);
	auto header = form.field("xqueue_header");
	auto body = form.field("xqueue_body");
	if (!header || !body)
	{
		exchange.sendEnvelope(1, INVALID_FORMAT);
		return;
	}
	auto pHeader = HeaderFields::parseObject(*header);
	if (!pHeader || !pHeader->has("lms_callback_url") || !pHeader->has("lms_key") || !pHeader->has("queue_name"))
	{
		exchange.sendEnvelope(1, INVALID_FORMAT);
		return;
	}
	std::string queueName = PythonJson::pythonStr(pHeader->get("queue_name"));
	const QueueSettings* pQueue = context().settings.findQueue(queueName);
	exchange.annotate("queue", queueName);
	if (!pQueue)
	{
		exchange.sendEnvelope(1, "Queue '" + queueName + "' not found");
		return;
	}
	if (!exchange.access().maySubmit(pQueue->name))
	{
		exchange.sendEnvelope(1, "This account may not submit to queue '" + pQueue->name + "'");
		return;
	}
	// The old server crashed (500) on a callback URL that is not a string.
	Poco::Dynamic::Var callback = pHeader->get("lms_callback_url");
	if (!callback.isString())
	{
		exchange.sendEnvelope(1, INVALID_FORMAT);
		return;
	}
	// An LMS account names only the callbacks it was given (SSRF: the host posts there).
	const std::string callbackUrl = callback.extract<std::string>();
	if (const SessionUser* pUser = exchange.user())
	{
		if (!CallbackAllowList(pUser->callbackPrefixes).permits(callbackUrl))
		{
			Metrics::instance().add("xqueue_submissions_total", {{"queue", pQueue->name}, {"outcome", "refused_callback"}});
			exchange.sendEnvelope(1, "lms_callback_url is not among the callback URLs allowed for this account");
			return;
		}
	}
	// Refused now rather than graded and parked at delivery, where the student would wait
	// for ever. The account's prefixes matched above: they name the host, so the operator
	// registered it as an LMS, whatever its address.
	bool registered = exchange.user() && !exchange.user()->callbackPrefixes.empty();
	if (auto reason = context().outbound.refusal(callbackUrl, registered))
	{
		Metrics::instance().add("xqueue_submissions_total", {{"queue", pQueue->name}, {"outcome", "refused_callback"}});
		exchange.sendEnvelope(1, "lms_callback_url is refused: " + *reason);
		return;
	}
	if (uploads.refusal())
	{
		Metrics::instance().add("xqueue_submissions_total", {{"queue", pQueue->name}, {"outcome", "refused_upload"}});
		// A 200 envelope: the LMS shows its content to the student (any other status
		// would show only "unexpected HTTP status code").
		exchange.sendEnvelope(1, *uploads.refusal());
		return;
	}

	NewSubmission submission;
	submission.queueName = pQueue->name;
	submission.requesterId = exchange.clientAddress();
	submission.submitterId = exchange.user() ? exchange.user()->id : 0;
	submission.callbackUrl = callbackUrl;
	submission.header = *header;
	submission.body = *body;
	SubmitResult result = SubmissionService(context().submissions, context().files, context().queues).submit(std::move(submission), uploads.files());
	exchange.annotate("submission", std::to_string(result.id));
	if (!uploads.files().empty()) exchange.annotate("files", std::to_string(uploads.files().size()));
	Metrics::instance().add("xqueue_submissions_total", {{"queue", pQueue->name}, {"outcome", "accepted"}});
	exchange.sendEnvelope(0, std::to_string(result.queueLength));
}


} // namespace XQueue
