# Sourced first by the scripts that mount into a chroot (lib/trixie-chroot.sh, deb-check.sh):
# the script runs again in a mount namespace of its own, private whatever the host's
# propagation, so nothing it mounts appears in the host's mount table and whatever is still
# mounted when it ends goes with the namespace. (One CI machine kept all four chroot mounts
# after they had been unmounted, as a shared "/" propagating them would.)
if [ "${RELAY_PRIVATE_MOUNTS:-}" != 1 ]; then
  RELAY_PRIVATE_MOUNTS=1 exec unshare --mount --propagation private -- bash "$0" "$@"
fi
