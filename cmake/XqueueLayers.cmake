# The host's layers, one static library per folder of host/src, each linking the layers
# it may use. A source that includes from a folder it was not given fails the build:
# every library depends on a check of its folder's includes (CheckLayerIncludes.cmake),
# rerun whenever one of its files changes. The order is in host/CMakeLists.txt and
# docs/architecture.md ("Layers").

set(XQUEUE_CHECK_LAYER_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/CheckLayerIncludes.cmake)

# xqueue_layer(<folder> [STANDALONE] [USES <folder>...] [LIBRARIES <target>...])
#   USES: the host folders it includes from ("sdk" for the SDK's xqueue/ headers);
#   every layer has xqueue_platform (Poco, Boost.DLL, SQLite, OpenSSL), defined first,
#   except a STANDALONE one (plain C++ and POSIX: what the plugin worker links).
function(xqueue_layer folder)
	cmake_parse_arguments(LAYER "STANDALONE" "" "USES;LIBRARIES" ${ARGN})
	set(root ${CMAKE_CURRENT_SOURCE_DIR}/src/${folder})
	file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${root}/*.cpp)
	file(GLOB_RECURSE headers CONFIGURE_DEPENDS ${root}/*.h)
	list(FILTER sources EXCLUDE REGEX "/main\\.cpp$")
	file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/layers)
	set(stamp ${CMAKE_CURRENT_BINARY_DIR}/layers/${folder}.checked)
	string(REPLACE ";" "|" files "${sources};${headers}")
	string(REPLACE ";" "|" uses "${LAYER_USES}")
	add_custom_command(OUTPUT ${stamp}
		COMMAND ${CMAKE_COMMAND} -DFOLDER=${folder} -DUSES=${uses} -DFILES=${files} -DSTAMP=${stamp} -P ${XQUEUE_CHECK_LAYER_SCRIPT}
		DEPENDS ${sources} ${headers} ${XQUEUE_CHECK_LAYER_SCRIPT}
		COMMENT "host/src/${folder}/ includes only from its layers"
		VERBATIM)
	add_library(xqueue_${folder} STATIC ${sources} ${stamp})
	target_include_directories(xqueue_${folder} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/src)
	if(LAYER_STANDALONE)
		set(links Threads::Threads ${LAYER_LIBRARIES})
	else()
		set(links xqueue_platform ${LAYER_LIBRARIES})
	endif()
	foreach(used ${LAYER_USES})
		if(used STREQUAL "sdk")
			list(APPEND links xqueue::sdk)
		else()
			list(APPEND links xqueue_${used})
		endif()
	endforeach()
	target_link_libraries(xqueue_${folder} PUBLIC ${links})
	xqueue_enable_warnings(xqueue_${folder})
endfunction()
