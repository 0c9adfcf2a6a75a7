// SPDX-License-Identifier: Apache-2.0
//
// GetSubmissionHandler.cpp
//


#include "http/handlers/GetSubmissionHandler.h"
#include "config/ServerSettings.h"
#include "delivery/DeliveryWorker.h"
#include "files/FileLinks.h"
#include "protocol/PythonJson.h"
#include "queue/PausedQueues.h"
#include "store/SubmissionStore.h"


namespace XQueue {


void GetSubmissionHandler::handle(HttpExchange& exchange)
{
	// HEAD and OPTIONS dequeued in the old server, hiding work from every grader.
	if (!exchange.isMethod("GET"))
	{
		exchange.sendEnvelope(1, "'get_submission' must use HTTP GET");
		return;
	}
	auto queueName = exchange.queryParameter("queue_name");
	if (!queueName)
	{
		exchange.sendEnvelope(1, "'get_submission' must provide parameter 'queue_name'");
		return;
	}
	if (!context().settings.findQueue(*queueName))
	{
		exchange.sendEnvelope(1, "Queue '" + *queueName + "' not found");
		return;
	}
	exchange.annotate("queue", *queueName);
	if (!exchange.access().mayGrade(*queueName))
	{
		exchange.sendEnvelope(1, "This account may not grade queue '" + *queueName + "'");
		return;
	}
	if (context().pausedQueues.isPaused(*queueName))
	{
		// Paused by an operator: graders see an empty queue and poll again later.
		exchange.sendEnvelope(1, "Queue '" + *queueName + "' is empty");
		return;
	}
	ClaimResult claim = context().submissions.claim(*queueName, exchange.clientAddress(), context().submissions.currentTime());
	if (claim.retired > 0) context().delivery.notify();
	if (!claim.submission)
	{
		exchange.sendEnvelope(1, "Queue '" + *queueName + "' is empty");
		return;
	}
	const ClaimedSubmission& s = *claim.submission;
	exchange.annotate("submission", std::to_string(s.id));
	std::string header = "{\"submission_id\": " + std::to_string(s.id) + ", \"submission_key\": ";
	PythonJson::appendQuoted(header, s.key);
	header += '}';
	std::string content = "{\"xqueue_header\": ";
	PythonJson::appendQuoted(content, header);
	content += ", \"xqueue_body\": ";
	PythonJson::appendQuoted(content, s.body);
	content += ", \"xqueue_files\": ";
	// Links to the address this grader reached us at, unless a base URL is configured.
	const FileLinks& links = context().fileLinks;
	PythonJson::appendQuoted(content, links.urlMap(s.files, links.baseUrlFor(exchange.hostHeader()), context().submissions.currentTime()));
	content += '}';
	exchange.sendEnvelope(0, content);
}


} // namespace XQueue
