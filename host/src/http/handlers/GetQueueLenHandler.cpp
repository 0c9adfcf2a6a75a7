// SPDX-License-Identifier: Apache-2.0
//
// GetQueueLenHandler.cpp
//


#include "http/handlers/GetQueueLenHandler.h"
#include "config/ServerSettings.h"
#include "store/SubmissionStore.h"


namespace XQueue {


void GetQueueLenHandler::handle(HttpExchange& exchange)
{
	auto queueName = exchange.queryParameter("queue_name");
	if (!queueName)
	{
		exchange.sendEnvelope(1, "'get_queuelen' must provide parameter 'queue_name'");
		return;
	}
	if (!context().settings.findQueue(*queueName))
	{
		exchange.sendEnvelope(1, "Valid queue names are: " + context().settings.queueNamesList());
		return;
	}
	if (!exchange.access().mayGrade(*queueName))
	{
		exchange.sendEnvelope(1, "This account may not grade queue '" + *queueName + "'");
		return;
	}
	exchange.sendEnvelope(0, context().submissions.queueLength(*queueName, context().submissions.currentTime()));
}


} // namespace XQueue
