// SPDX-License-Identifier: Apache-2.0
//
// PluginConfiguration.h
//
// One queue's plugin keys checked against the keys and types the plugin declares, with
// the declared defaults filled in: what config_get() answers, in the host's process or
// in a worker's.
//


#ifndef XQueue_PluginConfiguration_INCLUDED
#define XQueue_PluginConfiguration_INCLUDED


#include "config/QueueSettings.h"
#include "loader/PluginLibrary.h"
#include <map>
#include <string>


namespace XQueue {


class PluginConfiguration
{
public:
	PluginConfiguration(const QueueSettings& queue, const PluginLibrary& library);
		/// Throws PluginLoadException naming the key: undeclared, missing (required), or
		/// not of its declared type.

	const std::map<std::string, std::string>& values() const;

private:
	std::map<std::string, std::string> _values;
};


} // namespace XQueue


#endif // XQueue_PluginConfiguration_INCLUDED
