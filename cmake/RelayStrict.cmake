# Warnings for every target; strict Qt defines for product code (tests may use plain literals).
add_library(relay_warnings INTERFACE)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(relay_warnings INTERFACE -Wall -Wextra -Wold-style-cast -Wnon-virtual-dtor)
    if(RELAY_WERROR)
        target_compile_options(relay_warnings INTERFACE -Werror)
    endif()
elseif(MSVC)
    target_compile_options(relay_warnings INTERFACE /W4 /permissive- /utf-8)
endif()

add_library(relay_strict INTERFACE)
target_link_libraries(relay_strict INTERFACE relay_warnings)
target_compile_definitions(relay_strict INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_FOREACH
    QT_USE_QSTRINGBUILDER
    QT_NO_KEYWORDS)
