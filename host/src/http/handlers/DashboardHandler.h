// SPDX-License-Identifier: Apache-2.0
//
// DashboardHandler.h
//
// /xqueue/dashboard/: the operators' page and its JSON API. The page and its assets
// (dashboard.html/.js/.css and Chart.js, from xqueue.dashboard.dir) are public; the API
// needs the session of a user made an operator with xqueue-admin user set NAME --role=admin:
//   GET  api/overview  queues (now and the last hour), failing plugins, parked deliveries
//   POST api/resend    id=N or all=1: parked deliveries sent again
// State-changing calls must carry X-Xqueue-Dashboard: 1, which a cross-site form cannot
// send (CSRF).
//


#ifndef XQueue_DashboardHandler_INCLUDED
#define XQueue_DashboardHandler_INCLUDED


#include "http/XQueueHandler.h"


namespace XQueue {


class DashboardHandler: public XQueueHandler
{
public:
	static const std::string PREFIX; /// "/xqueue/dashboard/"

	DashboardHandler(HostContext& context, std::string rest);
		/// rest: the path after PREFIX.

protected:
	void handle(HttpExchange& exchange) override;

private:
	bool operatorOnly(HttpExchange& exchange);
	void sendAsset(HttpExchange& exchange, const std::string& name);
	void overview(HttpExchange& exchange);
	void resend(HttpExchange& exchange);

	std::string _rest;
};


} // namespace XQueue


#endif // XQueue_DashboardHandler_INCLUDED
