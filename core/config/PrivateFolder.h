#pragma once

#include <QString>

namespace relay {

// The folder that holds the config, the key file and the request history. One this program
// creates is made readable by the user only: mode 0700 on Unix; on Windows a protected ACL
// granting the user and SYSTEM full control, inherited by every file in it, so that nothing
// depends on the ACL of whatever folder it was created in. A folder that exists already is the
// user's choice and left as it is.
class PrivateFolder
{
public:
    // Creates the folder (and its parents) if needed; false, with the reason, if it could not
    // be created or protected.
    static bool ensure(const QString &path, QString *error);
};

} // namespace relay
