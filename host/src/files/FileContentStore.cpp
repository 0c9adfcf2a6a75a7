// SPDX-License-Identifier: Apache-2.0
//
// FileContentStore.cpp
//


#include "files/FileContentStore.h"
#include "files/DatabaseContentStore.h"
#include "files/DirectoryContentStore.h"


namespace XQueue {


std::unique_ptr<FileContentStore> FileContentStore::open(const FilesSettings& settings, Database& database)
{
	if (settings.storage == "directory") return std::make_unique<DirectoryContentStore>(settings.directory);
	return std::make_unique<DatabaseContentStore>(database, settings.spoolDirectory);
}


} // namespace XQueue
