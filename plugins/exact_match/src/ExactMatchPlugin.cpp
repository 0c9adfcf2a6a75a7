// SPDX-License-Identifier: Apache-2.0
//
// ExactMatchPlugin.cpp
//
// exact_match: an in-process grader that compares the student's answer with the one in
// the problem's grader_payload. Copy this folder to start your own grader.
//


#include "ExactMatchGrader.h"
#include "xqueue/sdk/Plugin.hpp"


namespace {


const xq_config_key KEYS[] = {
	{"case_sensitive", XQ_CONFIG_BOOL, "false", "Compare letters case-sensitively."},
	{"normalize_whitespace", XQ_CONFIG_BOOL, "true", "Ignore leading, trailing and repeated white space."},
};


class ExactMatchAdapter: public xqueue::sdk::GraderAdapter
{
public:
	explicit ExactMatchAdapter(const xqueue::sdk::QueueHost& queue):
		GraderAdapter(queue),
		_grader(XQueuePlugin::ExactMatchOptions{queue.configBool("case_sensitive"), queue.configBool("normalize_whitespace")})
	{
	}

	void grade(const xqueue::sdk::Job& job, xqueue::sdk::Completion done) override
	{
		// Synchronous: the answer is ready before grade() returns. An exception fails the job.
		done.graded(_grader.grade(job.body));
	}

private:
	XQueuePlugin::ExactMatchGrader _grader;
};


} // namespace


XQ_DECLARE_PLUGIN(ExactMatchAdapter, "exact_match", "1.0.0", XQ_MODE_DISPATCH,
	"In-process grader: the student's response must equal the answer in grader_payload.", XQ_PLUGIN_KEYS(KEYS))
