// SPDX-License-Identifier: Apache-2.0
//
// RequestRouterTest.cpp
//
// The route table also labels the request metrics: exact routes by their path, the
// dashboard and file prefixes by theirs, everything else "other" (never a label per URL).
//


#include "http/RequestRouter.h"
#include <gtest/gtest.h>


namespace {


TEST(RequestRouterTest, MetricsLabelsComeFromTheRouteTable)
{
	using XQueue::RequestRouter;
	EXPECT_EQ(RequestRouter::routeLabel("/xqueue/submit/"), "/xqueue/submit/");
	EXPECT_EQ(RequestRouter::routeLabel("/metrics"), "/metrics");
	EXPECT_EQ(RequestRouter::routeLabel("/xqueue/submit"), "other") << "exact, as routed";
	EXPECT_EQ(RequestRouter::routeLabel("/xqueue/dashboard/api/queues"), "/xqueue/dashboard/");
	EXPECT_EQ(RequestRouter::routeLabel("/xqueue/files/0123456789abcdef"), "/xqueue/files/");
	EXPECT_EQ(RequestRouter::routeLabel("/no/such/path/42"), "other");
}


} // namespace
