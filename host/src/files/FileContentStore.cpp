// SPDX-License-Identifier: Apache-2.0
//
// FileContentStore.cpp
//


#include "files/FileContentStore.h"
#include "files/DatabaseContentStore.h"
#include "files/DirectoryContentStore.h"


namespace XQueue {


std::unique_ptr<FileContentStore> FileContentStore::open(const ServerSettings& settings, Database& database)
{
	if (settings.filesStorage == "directory") return std::make_unique<DirectoryContentStore>(settings.filesDirectory);
	return std::make_unique<DatabaseContentStore>(database, settings.filesSpoolDirectory);
}


} // namespace XQueue
