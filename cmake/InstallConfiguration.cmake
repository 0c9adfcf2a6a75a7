# Installs the sample configuration without ever overwriting an edited one (run by
# `cmake --install`; XQUEUE_SAMPLE and XQUEUE_STATE_DIR are set just before it):
#   etc/xqueue/xqueue.properties.dist  always: this release's sample
#   etc/xqueue/xqueue.properties       only when there is none yet
# The installed sample keeps the SQLite store and the files in the state directory
# (/var/lib/xqueue, the unit's StateDirectory; XQUEUE_STATE_DIR in the environment of the
# install overrides it), not next to the configuration as in the source tree.
if(DEFINED ENV{XQUEUE_STATE_DIR})
	set(XQUEUE_STATE_DIR "$ENV{XQUEUE_STATE_DIR}")
endif()
set(etc "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/etc/xqueue")
file(READ "${XQUEUE_SAMPLE}" sample)
string(REPLACE "\${application.configFileDir}../var" "${XQUEUE_STATE_DIR}" sample "${sample}")
file(MAKE_DIRECTORY "${etc}")
file(WRITE "${etc}/xqueue.properties.dist" "${sample}")
message(STATUS "Installing: ${etc}/xqueue.properties.dist")
if(EXISTS "${etc}/xqueue.properties")
	message(STATUS "Keeping: ${etc}/xqueue.properties (yours; this release's sample is xqueue.properties.dist)")
else()
	file(WRITE "${etc}/xqueue.properties" "${sample}")
	message(STATUS "Installing: ${etc}/xqueue.properties")
endif()
