# CPack: the .deb. `scripts/bootstrap.sh package` configures a separate build with
# -DSOCKETLAB_PACKAGING=ON (Debian's paths, copyright and changelog) and Debian's
# hardening flags, then runs `cpack -G DEB`. Included from resources/CMakeLists.txt.
set(SOCKETLAB_MAINTAINER "Socket Lab maintainers <socketlab@users.noreply.github.com>"
    CACHE STRING "The package's maintainer, as Debian's control file writes it")

set(CPACK_PACKAGE_NAME socketlab)
set(CPACK_PACKAGE_VENDOR "Socket Lab")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${SOCKETLAB_MAINTAINER})
set(CPACK_PACKAGE_HOMEPAGE_URL ${SOCKETLAB_HOMEPAGE})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "lab that runs real socket calls step by step")
# The extended description: CPack indents it and turns empty lines into " .".
set(CPACK_PACKAGE_DESCRIPTION
    "Socket Lab runs real BSD socket calls on loopback, one step at a time, and
shows what the Linux kernel does with them: each connection's TCP state, how
full its send and receive queues are, the listen backlog, what select()
reports and how many bytes each send() and recv() really moved.

Experiments are short scripts using the names of Python's socket module;
built-in lessons follow Python's Socket Programming HOWTO and check
themselves against the running kernel. It has a window (stage, sequence,
inspector, timeline) and a command line for terminals and CI.")
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_SOURCE_DIR}/LICENSE)
set(CPACK_RESOURCE_FILE_README ${CMAKE_SOURCE_DIR}/README.md)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON) # RelWithDebInfo: Debian wants no debug info in the package
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # socketlab_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION education)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The libraries' packages come from dpkg-shlibdeps. The window also needs plugins that
# no library links to: Qt's platform plugins (xcb, wayland; libqt6gui6 only recommends
# them) and the SVG icon engine that draws its icon (in libqt6svg6 on Debian 12).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins, libqt6svg6")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "bash-completion")

include(CPack)
