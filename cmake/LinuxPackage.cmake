# Linux: `cmake --install` puts the program, its desktop entry, icon and AppStream metadata under
# the prefix; `cpack` (in the build folder) packs the same into llm-relay_<version>_<arch>.deb.
set(RELAY_APP_ID io.github.llmrelay.LLMRelay)
set(linux ${PROJECT_SOURCE_DIR}/resources/linux)
configure_file(${linux}/${RELAY_APP_ID}.metainfo.xml
    ${PROJECT_BINARY_DIR}/${RELAY_APP_ID}.metainfo.xml @ONLY)
install(FILES ${linux}/${RELAY_APP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_BINARY_DIR}/${RELAY_APP_ID}.metainfo.xml
    DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/llm-relay.svg
    DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps RENAME ${RELAY_APP_ID}.svg)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME llm-relay)
set(CPACK_PACKAGE_VENDOR "LLM Relay")
set(CPACK_PACKAGE_CONTACT "LLM Relay maintainers <maintainers@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Local relay for LLM APIs with key pooling and failover")
string(CONCAT CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "One local endpoint and access key for many LLM providers and API keys.\n"
    "Spreads requests over upstream keys, retries and fails over on rate limits and errors,\n"
    "translates between the OpenAI, Anthropic and Gemini API formats, and keeps the upstream\n"
    "keys in the system keychain. A tray icon and a window show live statistics; --headless\n"
    "runs it as a server.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
# The libraries the program links come from dpkg-shlibdeps; what Qt loads at run time by name
# does not show there: the SQLite driver (the request history) and the SVG plugins (every icon)
# are plugins in their own packages.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6svg6")
# Qt's own dialogs in Chinese need its catalogs. Keys need a Secret Service: every desktop has
# one, and a server uses --key-file, so a keyring is only suggested.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-translations-l10n")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "gnome-keyring | kwalletmanager")
include(CPack)
