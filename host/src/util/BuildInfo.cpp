// SPDX-License-Identifier: Apache-2.0
//
// BuildInfo.cpp
//


#include "util/BuildInfo.h"
#include "xqueue/sdk/PluginAbi.h"


namespace XQueue {


std::string BuildInfo::version()
{
	return XQUEUE_VERSION;
}


std::string BuildInfo::describe(const std::string& program)
{
	return program + " " + version() + " (plugin ABI " + std::to_string(XQ_ABI_MAJOR) + "." + std::to_string(XQ_ABI_MINOR) + ")";
}


} // namespace XQueue
