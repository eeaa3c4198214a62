# `cmake --install`: libtenantdb (static), the public headers (include/tenantdb/ only),
# the tenantdb binary, a CMake package config (find_package(tenantdb) -> tenantdb::tenantdb)
# and a pkg-config file (tenantdb.pc). Included from the top-level CMakeLists.txt.
include(CMakePackageConfigHelpers)

set(TENANTDB_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/tenantdb)

install(TARGETS tenantdb_lib EXPORT tenantdbTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS tenantdb RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/tenantdb
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(EXPORT tenantdbTargets NAMESPACE tenantdb:: DESTINATION ${TENANTDB_CMAKE_DIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/tenantdbConfig.cmake.in
  ${PROJECT_BINARY_DIR}/tenantdbConfig.cmake INSTALL_DESTINATION ${TENANTDB_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/tenantdbConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/tenantdbConfig.cmake
  ${PROJECT_BINARY_DIR}/tenantdbConfigVersion.cmake DESTINATION ${TENANTDB_CMAKE_DIR})

# pkg-config: a static library, so its dependencies go in Requires.private /
# Libs.private (`pkg-config --static --libs tenantdb`).
if(TENANTDB_SANITIZE)
  set(TENANTDB_PC_LINK_FLAGS "-fsanitize=address,undefined")
else()
  set(TENANTDB_PC_LINK_FLAGS "")
endif()
# The prefix relative to the .pc file, so an install moved elsewhere (or made with
# `cmake --install --prefix`) still points at itself.
file(RELATIVE_PATH TENANTDB_PC_TO_PREFIX /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
configure_file(${PROJECT_SOURCE_DIR}/cmake/tenantdb.pc.in ${PROJECT_BINARY_DIR}/tenantdb.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/tenantdb.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
