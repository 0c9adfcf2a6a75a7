// SPDX-License-Identifier: Apache-2.0
//
// SettingsCatalog.h
//
// Every configuration key the host reads, each declared once (SettingsCatalog.cpp).
//


#ifndef XQueue_SettingsCatalog_INCLUDED
#define XQueue_SettingsCatalog_INCLUDED


#include "config/QueueSettings.h"
#include "config/SettingDeclaration.h"
#include <string>
#include <vector>


namespace XQueue {


struct ServerSettings;


class SettingsCatalog
{
public:
	static const std::vector<SettingDeclaration<ServerSettings>>& serverKeys();
		/// The fixed keys (and the documented patterns xqueue.plugins.<id>.path), in
		/// documentation order.

	static const std::vector<SettingDeclaration<QueueSettings>>& queueKeys();
		/// The host's keys of one queue, xqueue.queues.<id>.<key> (key: the last part).

	static bool isPluginId(const std::string& id);
		/// 1-64 characters of a-z 0-9 _ (the plugin's file is xq_<id>.so).

	static std::string sectionTitle(const std::string& section);
		/// The heading of a section in the sample configuration.
};


} // namespace XQueue


#endif // XQueue_SettingsCatalog_INCLUDED
