# Strict Qt defines and warnings shared by every target (linked PRIVATE-ly through relay_strict).
add_library(relay_strict INTERFACE)
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
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(relay_strict INTERFACE -Wall -Wextra -Wold-style-cast -Wnon-virtual-dtor)
    if(RELAY_WERROR)
        target_compile_options(relay_strict INTERFACE -Werror)
    endif()
elseif(MSVC)
    target_compile_options(relay_strict INTERFACE /W4 /permissive- /utf-8)
endif()
