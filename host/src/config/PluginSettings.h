// SPDX-License-Identifier: Apache-2.0
//
// PluginSettings.h
//
// Where grader adapters are found (xqueue.plugins.*).
//


#ifndef XQueue_PluginSettings_INCLUDED
#define XQueue_PluginSettings_INCLUDED


#include <map>
#include <string>


namespace XQueue {


struct PluginSettings
{
	std::string dir; /// default: ${application.dir}../lib/xqueue/plugins
	std::map<std::string, std::string> paths; /// xqueue.plugins.<id>.path
	std::string worker; /// default: ${application.dir}xqueue-plugin-worker
};


} // namespace XQueue


#endif // XQueue_PluginSettings_INCLUDED
