// SPDX-License-Identifier: Apache-2.0
//
// PullRestPlugin.cpp
//
// pull_rest: queues whose graders pull work over HTTP (xqueue-watcher and the other
// xqueue clients). The plugin declares pull mode; the host then serves get_queuelen,
// get_submission and put_result for the queue (docs/architecture.md explains why the
// routes stay in the host). It takes no configuration.
//


#include "xqueue/sdk/Plugin.hpp"


namespace {


class PullRestAdapter: public xqueue::sdk::GraderAdapter
{
public:
	using GraderAdapter::GraderAdapter;
};


} // namespace


XQ_DECLARE_PLUGIN(PullRestAdapter, "pull_rest", "1.0.0", XQ_MODE_PULL,
	"Pull graders: the host serves get_queuelen, get_submission and put_result for the queue.", XQ_NO_KEYS)
