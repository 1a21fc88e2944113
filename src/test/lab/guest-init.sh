#!/bin/busybox sh
# /init of the memdrs lab guests: a busybox-only initramfs, no disk, no network.
#
# Behaviour is chosen by the kernel command line (dotted names are ignored by the
# kernel and only read here):
#   memdrs.role=NAME        label printed on every console line
#   memdrs.balloon=0|1      load virtio_balloon (1) or leave the balloon device driverless (0)
#   memdrs.churn=0|1        grow and shrink a file in a tmpfs forever, so guest memory use moves
#   memdrs.churn_steps="..." file sizes in MiB, one per step (default "8 24 40 24")
#   memdrs.churn_interval=S seconds between steps (default 3)
#
# The virtio modules are shipped uncompressed in /lib/modules/NAME.ko; a module the
# kernel has built in is listed in /lib/modules/builtin instead.

/bin/busybox mkdir -p /bin /sbin /proc /sys /dev /tmp /run
/bin/busybox --install -s /bin
export PATH=/bin:/sbin

mount -t devtmpfs devtmpfs /dev 2>/dev/null
[ -c /dev/console ] && exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys

role=guest
balloon=1
churn=0
churn_steps="8 24 40 24"
churn_interval=3
# shellcheck disable=SC2013 # the command line is one line of words
for arg in $(cat /proc/cmdline); do
    case "$arg" in
        memdrs.role=*) role="${arg#*=}" ;;
        memdrs.balloon=*) balloon="${arg#*=}" ;;
        memdrs.churn=*) churn="${arg#*=}" ;;
        memdrs.churn_steps=*) churn_steps="$(echo "${arg#*=}" | tr ',' ' ')" ;;
        memdrs.churn_interval=*) churn_interval="${arg#*=}" ;;
    esac
done

say() { echo "memdrs-lab[$role]: $*"; }
meminfo() {
    awk '/^(MemTotal|MemFree|MemAvailable|Shmem):/ { printf "%s%s=%sKiB", sep, substr($1, 1, length($1) - 1), $2; sep = " " }' /proc/meminfo
}

say "init started, kernel $(uname -r), balloon=$balloon churn=$churn"

mods="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci"
[ "$balloon" = 1 ] && mods="$mods virtio_balloon"
for m in $mods; do
    if [ -f "/lib/modules/$m.ko" ]; then
        if insmod "/lib/modules/$m.ko"; then
            say "insmod $m ok"
        else
            say "insmod $m FAILED"
        fi
    elif grep -qx "$m" /lib/modules/builtin 2>/dev/null; then
        say "$m is built into the kernel"
    else
        say "$m MISSING from the initramfs"
    fi
done

if [ "$balloon" = 1 ]; then
    bound=""
    for dev in /sys/bus/virtio/drivers/virtio_balloon/virtio*; do
        [ -e "$dev" ] && bound="$bound ${dev##*/}"
    done
    if [ -n "$bound" ]; then
        say "virtio_balloon bound to:$bound"
    else
        say "virtio_balloon NOT bound to any device"
    fi
else
    say "virtio_balloon deliberately not loaded"
fi

say "ready $(meminfo)"

if [ "$churn" = 1 ]; then
    max=0
    for s in $churn_steps; do [ "$s" -gt "$max" ] && max=$s; done
    mkdir -p /churn
    mount -t tmpfs -o size=$((max + 4))m tmpfs /churn
    say "churn steps (MiB): $churn_steps, every ${churn_interval}s"
    while :; do
        for s in $churn_steps; do
            dd if=/dev/zero of=/churn/blob bs=1048576 count="$s" 2>/dev/null
            say "churn file=${s}MiB $(meminfo)"
            sleep "$churn_interval"
        done
    done
fi

while :; do
    sleep 3600
done
