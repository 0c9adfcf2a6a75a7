// SPDX-License-Identifier: Apache-2.0
//
// PluginRegistry.h
//
// Finds and loads plugin files by id, once each: xqueue.plugins.<id>.path if given,
// else <xqueue.plugins.dir>/xq_<id>.so. Frozen after start-up.
//


#ifndef XQueue_PluginRegistry_INCLUDED
#define XQueue_PluginRegistry_INCLUDED


#include "loader/PluginLibrary.h"
#include <map>
#include <memory>
#include <string>


namespace XQueue {


class PluginRegistry
{
public:
	PluginRegistry(const std::string& directory, const std::map<std::string, std::string>& explicitPaths);

	std::shared_ptr<PluginLibrary> library(const std::string& id);
		/// Loads the plugin on first use. Throws PluginLoadException.

	std::string pathOf(const std::string& id) const;

private:
	std::string _directory;
	std::map<std::string, std::string> _explicitPaths;
	std::map<std::string, std::shared_ptr<PluginLibrary>> _libraries;
};


} // namespace XQueue


#endif // XQueue_PluginRegistry_INCLUDED
