// SPDX-License-Identifier: Apache-2.0
//
// NumericPlugin.cpp
//
// numeric: an in-process grader for numeric answers with a tolerance.
//


#include "NumericGrader.h"
#include "xqueue/sdk/Plugin.hpp"
#include <stdexcept>


namespace {


const xq_config_key KEYS[] = {
	{"default_tolerance", XQ_CONFIG_STRING, "0.1%",
		"Tolerance when grader_payload names none: an absolute number (0.01) or a percentage of the answer (0.1%)."},
};


XQueuePlugin::Tolerance defaultTolerance(const xqueue::sdk::QueueHost& queue)
{
	auto tolerance = XQueuePlugin::NumericGrader::parseTolerance(queue.config("default_tolerance"));
	if (!tolerance) throw std::invalid_argument("default_tolerance: '" + queue.config("default_tolerance") + "' is not a number or percentage");
	return *tolerance;
}


class NumericAdapter: public xqueue::sdk::GraderAdapter
{
public:
	explicit NumericAdapter(const xqueue::sdk::QueueHost& queue):
		GraderAdapter(queue),
		_grader(defaultTolerance(queue))
	{
	}

	void grade(const xqueue::sdk::Job& job, xqueue::sdk::Completion done) override
	{
		done.graded(_grader.grade(job.body));
	}

private:
	XQueuePlugin::NumericGrader _grader;
};


} // namespace


XQ_DECLARE_PLUGIN(NumericAdapter, "numeric", "1.0.0", XQ_MODE_DISPATCH,
	"In-process grader: a number within a tolerance of the answer in grader_payload.", XQ_PLUGIN_KEYS(KEYS))
