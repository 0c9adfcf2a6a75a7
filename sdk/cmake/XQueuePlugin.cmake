# xqueue_add_plugin(<id> SOURCES ... [LIBRARIES ...] [OUTPUT_DIRECTORY dir] [INSTALL])
#
# Builds a grader-adapter plugin the one way every plugin is built: a MODULE library
# named xq_<id>.so, hidden visibility (only the entry symbol is exported), no undefined
# symbols (-Wl,-z,defs), linked against the SDK headers. The same helper serves in-tree
# plugins, test fixtures and plugins built outside this repository.
function(xqueue_add_plugin id)
	cmake_parse_arguments(ARG "INSTALL" "OUTPUT_DIRECTORY" "SOURCES;LIBRARIES" ${ARGN})
	if(NOT ARG_SOURCES)
		message(FATAL_ERROR "xqueue_add_plugin(${id}): SOURCES is required")
	endif()
	set(target xqueue_plugin_${id})
	add_library(${target} MODULE ${ARG_SOURCES})
	target_link_libraries(${target} PRIVATE xqueue::sdk ${ARG_LIBRARIES})
	target_compile_features(${target} PRIVATE cxx_std_17)
	set_target_properties(${target} PROPERTIES
		PREFIX ""
		OUTPUT_NAME "xq_${id}"
		CXX_VISIBILITY_PRESET hidden
		VISIBILITY_INLINES_HIDDEN ON)
	# Not under clang's sanitizers: they leave their run-time to the executable, so a
	# sanitized plugin has undefined __asan_* symbols by design.
	string(TOUPPER "${CMAKE_BUILD_TYPE}" config)
	if(NOT (CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND "${CMAKE_CXX_FLAGS} ${CMAKE_CXX_FLAGS_${config}}" MATCHES "-fsanitize="))
		target_link_options(${target} PRIVATE -Wl,-z,defs)
	endif()
	if(ARG_OUTPUT_DIRECTORY)
		set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
	elseif(XQUEUE_PLUGIN_OUTPUT_DIRECTORY)
		set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${XQUEUE_PLUGIN_OUTPUT_DIRECTORY})
	endif()
	if(ARG_INSTALL)
		install(TARGETS ${target} LIBRARY DESTINATION lib/xqueue/plugins)
	endif()
endfunction()
