#!/usr/bin/env bash
# memdrs-lab.sh - a real libvirtd + QEMU (TCG) lab with three tiny Linux guests whose
# virtio balloon statistics are respectively live, frozen and absent.
#
#   memdrs-lab.sh up [WORKDIR]            install, configure, start libvirtd, build guest, start 3 domains
#   memdrs-lab.sh wait [--timeout SEC]    block until memdrs-lab-ok reports live stats (default 90 s)
#   memdrs-lab.sh status                  dommemstat and <memballoon> of each guest
#   memdrs-lab.sh down [--stop-daemon]    destroy and undefine the three guests
#   memdrs-lab.sh restart-daemon [--down-for SEC] [WORKDIR]
#                                         stop libvirtd, keep it down SEC s (default 0), start it again;
#                                         the guests keep running and the new daemon takes them over
#   memdrs-lab.sh guest-stats DOMAIN stop|resume
#                                         make QEMU stop (resume) asking the guest for balloon statistics behind
#                                         libvirt's back: the live XML keeps its period, last_update freezes
#   memdrs-lab.sh peer up|stop|down NAME PORT [WORKDIR]
#                                         another libvirtd on this machine, a second hypervisor host: its own mount
#                                         namespace with private /etc/libvirt, /run/libvirt, /var/lib/libvirt and
#                                         /var/log/libvirt, its own host_uuid, TCP on 127.0.0.1:PORT (no auth), its
#                                         own migration ports; stop: SIGKILL the daemon only (its guests keep
#                                         running); down: destroy its guests and stop it
#   memdrs-lab.sh migrant start|remove URI [WORKDIR]
#                                         the guest memdrs-lab-migrant (like memdrs-lab-ok) started on the libvirtd
#                                         at URI (after 'up'), or destroyed and undefined wherever URI has it
#
# Needs root and a Debian 12 (bookworm) machine; see README.md beside this file.
# Environment:
#   MEMDRS_LAB_URI            libvirt URI (default qemu:///system)
#   MEMDRS_LAB_QEMU_CONF      private (default) | system: where the daemon's qemu.conf comes from
#   MEMDRS_LAB_KERNEL_PKG     Debian kernel package to boot (default: what linux-image-amd64 depends on)
#   MEMDRS_LAB_WAIT_TIMEOUT   default deadline of `wait` in seconds (default 90)
#   MEMDRS_LAB_VIRSH_TIMEOUT  deadline of a single virsh call in seconds (default 60)
#   MEMDRS_LAB_ALLOW_FOREIGN_DAEMON=1  use an already running libvirtd even if its qemu.conf looks unsuitable
set -Eeuo pipefail
export LC_ALL=C

LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
URI=${MEMDRS_LAB_URI:-qemu:///system}
VIRSH_TIMEOUT=${MEMDRS_LAB_VIRSH_TIMEOUT:-60}
MEM_MIB=128
DAEMON_PIDFILE=/run/libvirtd.pid
SYSTEM_QEMU_CONF=/etc/libvirt/qemu.conf
SYSTEM_QEMU_CONF_BACKUP=/etc/libvirt/qemu.conf.memdrs-lab.orig

PACKAGES=(libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 busybox-static cpio)
# Load order matters: each module only needs the ones before it.
MODULES=(virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_balloon)

DOMAINS=(memdrs-lab-ok memdrs-lab-frozen memdrs-lab-nodriver)
declare -A DOM_UUID=(
    [memdrs-lab-ok]=6d656d64-7273-4c61-8200-000000000001
    [memdrs-lab-frozen]=6d656d64-7273-4c61-8200-000000000002
    [memdrs-lab-nodriver]=6d656d64-7273-4c61-8200-000000000003
    [memdrs-lab-migrant]=6d656d64-7273-4c61-8200-000000000004
)
declare -A DOM_BALLOON=(
    [memdrs-lab-ok]="<memballoon model='virtio'><stats period='2'/></memballoon>"
    [memdrs-lab-frozen]="<memballoon model='virtio'/>"
    [memdrs-lab-nodriver]="<memballoon model='virtio'/>"
    [memdrs-lab-migrant]="<memballoon model='virtio'><stats period='2'/></memballoon>"
)
declare -A DOM_GUEST_ARGS=(
    [memdrs-lab-ok]="memdrs.role=ok memdrs.balloon=1 memdrs.churn=1"
    [memdrs-lab-frozen]="memdrs.role=frozen memdrs.balloon=1 memdrs.churn=1"
    [memdrs-lab-nodriver]="memdrs.role=nodriver memdrs.balloon=0 memdrs.churn=0"
    [memdrs-lab-migrant]="memdrs.role=migrant memdrs.balloon=1 memdrs.churn=1"
)
KERNEL_ARGS="console=ttyS0 loglevel=4 mitigations=off"

# ---------------------------------------------------------------- helpers

CURRENT_STEP=""
log() { printf '[memdrs-lab %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() {
    log "ERROR${CURRENT_STEP:+ in step '$CURRENT_STEP'}: $*" >&2
    exit 1
}
on_err() {
    local rc=$? line=$1 cmd=$2
    log "ERROR${CURRENT_STEP:+ in step '$CURRENT_STEP'}: command failed with exit code $rc (line $line): $cmd" >&2
    exit "$rc"
}
trap 'on_err "$LINENO" "$BASH_COMMAND"' ERR

now_us() { local t=$EPOCHREALTIME; echo "${t//[.,]/}"; }
fmt_us() { printf '%d.%02d s' $(($1 / 1000000)) $((($1 % 1000000) / 10000)); }

# step NAME FUNCTION [ARGS...]: run one step and report how long it took.
step() {
    local name=$1 t0
    shift
    CURRENT_STEP=$name
    t0=$(now_us)
    log "step '$name' ..."
    "$@"
    log "step '$name' done in $(fmt_us $(($(now_us) - t0)))"
    CURRENT_STEP=""
}

v() { timeout "$VIRSH_TIMEOUT" virsh -q -c "$URI" "$@"; }

need_root() { [ "$(id -u)" = 0 ] || die "must run as root (libvirtd with qemu:///system, apt-get, useradd)"; }

sed_escape() { printf '%s' "$1" | sed -e 's/[\\|&]/\\&/g'; }

dom_exists() { v domuuid "$1" >/dev/null 2>&1; }
dom_state() { v domstate "$1" 2>/dev/null | head -n1 || true; }

daemon_answers() { timeout 10 virsh -q -c "$URI" uri >/dev/null 2>&1; }

# ---------------------------------------------------------------- up: host side

APT_UPDATED=0
apt_update_once() {
    if [ "$APT_UPDATED" = 0 ]; then
        log "apt-get update"
        apt-get update -qq || die "apt-get update failed"
        APT_UPDATED=1
    fi
}

pkg_installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = installed ]; }

apt_install() {
    apt_update_once
    log "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
        || die "apt-get install $* failed"
}

ensure_packages() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do pkg_installed "$p" || missing+=("$p"); done
    if [ ${#missing[@]} -eq 0 ]; then
        log "packages already installed: ${PACKAGES[*]}"
    else
        apt_install "${missing[@]}"
    fi
    for p in libvirtd virsh qemu-system-x86_64 unshare; do
        command -v "$p" >/dev/null || die "'$p' not found after installing ${PACKAGES[*]}"
    done
    [ -x /bin/busybox ] || die "/bin/busybox not found (package busybox-static)"
    if ldd /bin/busybox >/dev/null 2>&1; then
        die "/bin/busybox is dynamically linked; the guest needs busybox-static"
    fi
}

ensure_qemu_user() {
    if getent passwd libvirt-qemu >/dev/null; then
        log "user libvirt-qemu exists"
    else
        useradd --system --user-group --no-create-home --home-dir /var/lib/libvirt \
            --shell /usr/sbin/nologin libvirt-qemu || die "useradd libvirt-qemu failed"
        log "created system user libvirt-qemu (libvirtd refuses to start without it)"
    fi
}

write_if_changed() { # write_if_changed FILE CONTENT
    if [ ! -f "$1" ] || [ "$(cat "$1")" != "$2" ]; then
        printf '%s\n' "$2" >"$1"
        log "wrote $1"
    fi
}

write_config() {
    mkdir -p "$WORKDIR/libvirt" "$WORKDIR/log"
    write_if_changed "$WORKDIR/libvirt/qemu.conf" '# qemu.conf of the memdrs lab libvirtd (generated by memdrs-lab.sh)
user = "root"
group = "root"
security_driver = "none"
stdio_handler = "file"'
    write_if_changed "$WORKDIR/libvirt/libvirtd.conf" "# libvirtd.conf of the memdrs lab libvirtd (generated by memdrs-lab.sh)
log_outputs = \"3:file:$WORKDIR/log/libvirtd.log\""
}

# The daemon's qemu.conf as the running daemon sees it (it may live in a private mount namespace).
running_daemon_qemu_conf() {
    local pid
    pid=$(cat "$DAEMON_PIDFILE" 2>/dev/null || true)
    if [ -n "$pid" ] && [ -r "/proc/$pid/root$SYSTEM_QEMU_CONF" ]; then
        echo "/proc/$pid/root$SYSTEM_QEMU_CONF"
    fi
}

check_running_daemon_config() {
    local conf key missing=()
    conf=$(running_daemon_qemu_conf)
    if [ -z "$conf" ]; then
        log "WARNING: libvirtd answers on $URI but $DAEMON_PIDFILE names no readable process; cannot check its qemu.conf"
        return 0
    fi
    for key in 'user = "root"' 'group = "root"' 'security_driver = "none"' 'stdio_handler = "file"'; do
        grep -Eq "^[[:space:]]*${key// /[[:space:]]*}[[:space:]]*$" "$conf" || missing+=("$key")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        local msg
        msg="the running libvirtd (pid $(cat "$DAEMON_PIDFILE")) was not started by this script: its qemu.conf ($conf) lacks: ${missing[*]}; guests would fail to start (typically: no virtlogd socket). Run '$0 down --stop-daemon' and then '$0 up'"
        [ "${MEMDRS_LAB_ALLOW_FOREIGN_DAEMON:-0}" = 1 ] || die "$msg (or set MEMDRS_LAB_ALLOW_FOREIGN_DAEMON=1 to try anyway)"
        log "WARNING: $msg"
    else
        log "running libvirtd uses a suitable qemu.conf ($conf)"
    fi
}

start_daemon_private() {
    # libvirtd as root reads qemu.conf only from /etc/libvirt; give it ours through a bind mount
    # visible to the daemon (and the QEMU processes it spawns) only.
    # The bind mount needs an existing target. Debian ships /etc/libvirt/qemu.conf only with
    # libvirt-daemon-system; an empty file means "all defaults" to any other libvirtd.
    if [ ! -e "$SYSTEM_QEMU_CONF" ]; then
        mkdir -p "$(dirname "$SYSTEM_QEMU_CONF")"
        printf '%s\n' "# Empty on purpose (libvirt defaults). memdrs-lab.sh bind-mounts its own qemu.conf here," \
            "# visible only inside the mount namespace of the libvirtd it starts." >"$SYSTEM_QEMU_CONF"
        log "created an empty $SYSTEM_QEMU_CONF as bind-mount target"
    fi
    unshare --mount --propagation private -- /bin/sh -c \
        'mount --bind "$1" "$2" && exec libvirtd -d -f "$3"' \
        memdrs-lab "$WORKDIR/libvirt/qemu.conf" "$SYSTEM_QEMU_CONF" "$WORKDIR/libvirt/libvirtd.conf" \
        || die "starting libvirtd in a private mount namespace failed (set MEMDRS_LAB_QEMU_CONF=system to use $SYSTEM_QEMU_CONF instead)"
}

start_daemon_system() {
    if [ -e "$SYSTEM_QEMU_CONF" ] && [ ! -e "$SYSTEM_QEMU_CONF_BACKUP" ] \
        && ! cmp -s "$SYSTEM_QEMU_CONF" "$WORKDIR/libvirt/qemu.conf"; then
        cp -p "$SYSTEM_QEMU_CONF" "$SYSTEM_QEMU_CONF_BACKUP"
        log "saved the original $SYSTEM_QEMU_CONF as $SYSTEM_QEMU_CONF_BACKUP"
    fi
    cp "$WORKDIR/libvirt/qemu.conf" "$SYSTEM_QEMU_CONF"
    log "installed the lab qemu.conf as $SYSTEM_QEMU_CONF"
    libvirtd -d -f "$WORKDIR/libvirt/libvirtd.conf" || die "libvirtd -d failed (see $WORKDIR/log/libvirtd.log)"
}

ensure_daemon() {
    if daemon_answers; then
        log "libvirtd already answers on $URI; not starting another"
        check_running_daemon_config
        return 0
    fi
    local mode=${MEMDRS_LAB_QEMU_CONF:-private}
    case "$mode" in
        private)
            if unshare --mount --propagation private -- true 2>/dev/null; then
                start_daemon_private
            else
                log "WARNING: cannot create a mount namespace here; falling back to $SYSTEM_QEMU_CONF"
                start_daemon_system
            fi
            ;;
        system) start_daemon_system ;;
        *) die "MEMDRS_LAB_QEMU_CONF must be 'private' or 'system', not '$mode'" ;;
    esac
    local i
    for i in $(seq 1 60); do
        if daemon_answers; then
            log "libvirtd answers on $URI (pid $(cat "$DAEMON_PIDFILE" 2>/dev/null || echo '?'))"
            return 0
        fi
        sleep 0.5
    done
    die "libvirtd did not answer on $URI within 30 s; see $WORKDIR/log/libvirtd.log"
}

# ---------------------------------------------------------------- up: guest image

resolve_kernel_pkg() {
    if [ -n "${MEMDRS_LAB_KERNEL_PKG:-}" ]; then
        echo "$MEMDRS_LAB_KERNEL_PKG"
        return 0
    fi
    local pkg
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }')
    if [ -z "$pkg" ]; then
        apt_update_once >&2
        pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }')
    fi
    [ -n "$pkg" ] || die "cannot tell which linux-image-*-amd64 package linux-image-amd64 points to (apt-cache depends linux-image-amd64)"
    echo "$pkg"
}

decompress_module() { # decompress_module SRC DEST
    case "$1" in
        *.ko) cp "$1" "$2" ;;
        *.ko.xz)
            command -v xz >/dev/null || apt_install xz-utils
            xz -dc "$1" >"$2" ;;
        *.ko.zst)
            command -v zstd >/dev/null || apt_install zstd
            zstd -qdc "$1" >"$2" ;;
        *.ko.gz) gzip -dc "$1" >"$2" ;;
        *) die "unknown module format: $1" ;;
    esac
}

apt_download() { # apt_download PKG: fetch PKG's .deb into $WORKDIR/cache
    local out rc=0
    out=$(cd "$WORKDIR/cache" && apt-get download -q "$1" 2>&1) || rc=$?
    grep -v 'unsandboxed as root' <<<"$out" || true
    return "$rc"
}

# Downloads the kernel .deb, extracts it, keeps vmlinuz and the virtio modules (uncompressed).
fetch_kernel() {
    local kdir=$WORKDIR/kernel
    if [ -f "$kdir/package" ] && [ -f "$kdir/vmlinuz" ] && [ -f "$kdir/ready" ] \
        && { [ -z "${MEMDRS_LAB_KERNEL_PKG:-}" ] || [ "$(cat "$kdir/package")" = "$MEMDRS_LAB_KERNEL_PKG" ]; }; then
        log "kernel $(cat "$kdir/package") already extracted in $kdir"
        return 0
    fi
    local pkg deb tree
    pkg=$(resolve_kernel_pkg)
    mkdir -p "$WORKDIR/cache"
    deb=$(find "$WORKDIR/cache" -maxdepth 1 -name "${pkg}_*.deb" -print -quit)
    if [ -z "$deb" ]; then
        log "downloading $pkg (apt-get download)"
        if ! apt_download "$pkg"; then
            apt_update_once
            apt_download "$pkg" || die "apt-get download $pkg failed (see above)"
        fi
        deb=$(find "$WORKDIR/cache" -maxdepth 1 -name "${pkg}_*.deb" -print -quit)
        [ -n "$deb" ] || die "apt-get download $pkg produced no .deb in $WORKDIR/cache"
    fi
    log "extracting $(basename "$deb") (dpkg-deb -x)"
    tree=$WORKDIR/cache/kernel-tree
    rm -rf "$tree" "$kdir"
    mkdir -p "$tree" "$kdir/modules"
    dpkg-deb -x "$deb" "$tree" || die "dpkg-deb -x $deb failed"

    local vmlinuz moddir kver m f
    vmlinuz=$(find "$tree/boot" -maxdepth 1 -name 'vmlinuz-*' -print -quit 2>/dev/null || true)
    [ -n "$vmlinuz" ] || die "no boot/vmlinuz-* in $deb"
    kver=${vmlinuz##*/vmlinuz-}
    for moddir in "$tree/lib/modules/$kver" "$tree/usr/lib/modules/$kver"; do
        [ -d "$moddir" ] && break
    done
    [ -d "$moddir" ] || die "no lib/modules/$kver in $deb"
    cp "$vmlinuz" "$kdir/vmlinuz"
    : >"$kdir/modules/builtin"
    for m in "${MODULES[@]}"; do
        f=$(find "$moddir/kernel" -name "$m.ko" -o -name "$m.ko.xz" -o -name "$m.ko.zst" -o -name "$m.ko.gz" | head -n1)
        if [ -n "$f" ]; then
            decompress_module "$f" "$kdir/modules/$m.ko"
            log "module $m: ${f#"$moddir"/}"
        elif grep -q "/$m\.ko\$" "$moddir/modules.builtin" 2>/dev/null; then
            echo "$m" >>"$kdir/modules/builtin"
            log "module $m: built into the kernel"
        else
            die "module $m is neither in $deb nor built into its kernel"
        fi
    done
    check_module_deps "$kdir"
    echo "$kver" >"$kdir/version"
    echo "$pkg" >"$kdir/package"
    rm -rf "$tree"
    touch "$kdir/ready"
    log "kernel $kver ready: $(du -sh "$kdir" | cut -f1) kept, extracted tree removed (the .deb stays in $WORKDIR/cache)"
}

# Fails if one of MODULES depends on a module that is not loaded before it. The .deb has no
# modules.dep (depmod runs at install time), so read the "depends=" entry of each module's .modinfo.
check_module_deps() {
    local kdir=$1 i m deps d
    for i in "${!MODULES[@]}"; do
        m=${MODULES[$i]}
        [ -f "$kdir/modules/$m.ko" ] || continue
        deps=$(grep -a -o 'depends=[A-Za-z0-9_,-]*' "$kdir/modules/$m.ko" | head -n1 | cut -d= -f2 | tr ',' ' ')
        for d in $deps; do
            d=${d//-/_}
            if ! printf '%s\n' "${MODULES[@]:0:$i}" | grep -qx "$d"; then
                die "module $m needs $d, which is not loaded before it"
            fi
        done
    done
}

find_cpio() {
    if command -v cpio >/dev/null; then
        echo cpio
    elif /bin/busybox cpio 2>&1 | grep -q -- '-o'; then
        echo "/bin/busybox cpio"
    else
        apt_install cpio >&2
        echo cpio
    fi
}

# Sets GUEST_CHANGED=1 when the initramfs or kernel differ from what the guests were started with.
build_initramfs() {
    local kdir=$WORKDIR/kernel gdir=$WORKDIR/guest root stamp want
    mkdir -p "$gdir"
    want=$(cat "$LAB_SRC/guest-init.sh" /bin/busybox "$kdir"/modules/* "$kdir/version" | sha256sum | cut -c1-16)
    stamp=$(cat "$gdir/initramfs.stamp" 2>/dev/null || true)
    if [ -f "$gdir/initramfs.img" ] && [ -f "$gdir/vmlinuz" ] && [ "$stamp" = "$want" ]; then
        log "initramfs up to date ($gdir/initramfs.img)"
        return 0
    fi
    root=$WORKDIR/initramfs-root
    rm -rf "$root"
    mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,run,churn,lib/modules}
    cp /bin/busybox "$root/bin/busybox"
    cp "$LAB_SRC/guest-init.sh" "$root/init"
    chmod 0755 "$root/init" "$root/bin/busybox"
    cp "$kdir"/modules/* "$root/lib/modules/"
    mknod -m 0600 "$root/dev/console" c 5 1
    mknod -m 0666 "$root/dev/null" c 1 3
    local cpio
    cpio=$(find_cpio)
    (cd "$root" && find . -mindepth 1 | LC_ALL=C sort | $cpio -o -H newc 2>/dev/null) | gzip -9 >"$gdir/initramfs.img.new"
    mv "$gdir/initramfs.img.new" "$gdir/initramfs.img"
    cp "$kdir/vmlinuz" "$gdir/vmlinuz"
    echo "$want" >"$gdir/initramfs.stamp"
    rm -rf "$root"
    log "built $gdir/initramfs.img ($(du -h "$gdir/initramfs.img" | cut -f1)) for kernel $(cat "$kdir/version")"
}

# ---------------------------------------------------------------- up: domains

render_domain() { # render_domain NAME -> path of the rendered XML
    local name=$1 out=$WORKDIR/domains/$1.xml role cmdline emulator
    role=${name#memdrs-lab-}
    cmdline="$KERNEL_ARGS ${DOM_GUEST_ARGS[$name]}"
    emulator=$(command -v qemu-system-x86_64)
    mkdir -p "$WORKDIR/domains" "$WORKDIR/console"
    sed -e "s|@NAME@|$(sed_escape "$name")|g" \
        -e "s|@UUID@|${DOM_UUID[$name]}|g" \
        -e "s|@ROLE@|$role|g" \
        -e "s|@MEM_MIB@|$MEM_MIB|g" \
        -e "s|@KERNEL@|$(sed_escape "$WORKDIR/guest/vmlinuz")|g" \
        -e "s|@INITRD@|$(sed_escape "$WORKDIR/guest/initramfs.img")|g" \
        -e "s|@CMDLINE@|$(sed_escape "$cmdline")|g" \
        -e "s|@EMULATOR@|$(sed_escape "$emulator")|g" \
        -e "s|@CONSOLE@|$(sed_escape "$WORKDIR/console/$name.log")|g" \
        -e "s|@MEMBALLOON@|$(sed_escape "${DOM_BALLOON[$name]}")|g" \
        "$LAB_SRC/domain.xml.in" >"$out"
    echo "$out"
}

qemu_log_tail() { tail -n 5 "/var/log/libvirt/qemu/$1.log" 2>/dev/null | sed 's/^/    qemu log: /' || true; }

start_domain() {
    local name=$1
    local err
    if ! err=$(v start "$name" 2>&1); then
        die "virsh start $name failed: $err
$(qemu_log_tail "$name")"
    fi
}

# Stats period of the running domain, and the one the lab wants ("" = none, as after a fresh start).
live_stats_period() {
    local p
    p=$(v dumpxml "$1" | sed -n "s|.*<stats period='\([0-9]*\)'.*|\1|p" | head -n1)
    [ "$p" = 0 ] && p=""
    echo "$p"
}
wanted_stats_period() { sed -n "s|.*<stats period='\([0-9]*\)'.*|\1|p" <<<"${DOM_BALLOON[$1]}"; }

ensure_domain() {
    local name=$1 xml uuid have_uuid other state fingerprint started
    uuid=${DOM_UUID[$name]}
    xml=$(render_domain "$name")
    if dom_exists "$name"; then
        have_uuid=$(v domuuid "$name" | head -n1)
        [ "$have_uuid" = "$uuid" ] || die "a domain named $name already exists with UUID $have_uuid (the lab uses $uuid); undefine it first"
    fi
    other=$(v domname "$uuid" 2>/dev/null | head -n1 || true)
    [ -z "$other" ] || [ "$other" = "$name" ] || die "UUID $uuid is already used by domain '$other'; undefine it first"

    local err
    err=$(v define "$xml" 2>&1) || die "virsh define $xml failed: $err"

    fingerprint=$(cat "$xml" "$WORKDIR/guest/initramfs.stamp" | sha256sum | cut -c1-16)
    started=$(cat "$WORKDIR/domains/$name.started" 2>/dev/null || true)
    state=$(dom_state "$name")
    case "$state" in
        running)
            if [ "$started" = "$fingerprint" ] && [ "$(live_stats_period "$name")" = "$(wanted_stats_period "$name")" ]; then
                log "$name ($uuid) already running with this configuration"
                return 0
            fi
            if [ "$started" = "$fingerprint" ]; then
                log "$name runs with balloon stats period '$(live_stats_period "$name")' instead of" \
                    "'$(wanted_stats_period "$name")' (changed with dommemstat --period?); restarting it"
            else
                log "$name is running with another configuration or guest image; restarting it"
            fi
            v destroy "$name" >/dev/null
            ;;
        paused)
            if [ "$started" = "$fingerprint" ]; then
                v resume "$name" >/dev/null
                log "$name was paused; resumed"
                return 0
            fi
            v destroy "$name" >/dev/null
            ;;
        "shut off" | crashed | "") ;;
        *) v destroy "$name" >/dev/null 2>&1 || true ;;
    esac
    start_domain "$name"
    echo "$fingerprint" >"$WORKDIR/domains/$name.started"
    log "$name ($uuid) started; console: $WORKDIR/console/$name.log"
}

ensure_domains() {
    local name
    for name in "${DOMAINS[@]}"; do ensure_domain "$name"; done
    sleep 1
    for name in "${DOMAINS[@]}"; do
        [ "$(dom_state "$name")" = running ] || die "$name is not running after start (state: $(dom_state "$name"))
$(qemu_log_tail "$name")"
    done
    log "all three guests running: ${DOMAINS[*]}"
}

# WORKDIR holds the guests' kernel, initramfs and console logs, which the domain XML names: it must be writable and
# its path must be safe to write into that XML (no quotes, <, >, & or whitespace). Where it is not, says why and uses
# a directory under /var/lib/memdrs-lab instead, recorded in WORKDIR/lab-workdir for the later commands.
usable_workdir() { # usable_workdir DIR -> prints the directory to use
    local dir=$1 why="" alt
    if [[ "$dir" =~ [[:space:]\'\"\<\>\&] ]]; then
        why="its path has a character the domain XML cannot hold as it is (quote, <, >, & or whitespace)"
    elif ! touch "$dir/.memdrs-lab-write-test" 2>/dev/null; then
        why="it is not writable"
    else
        rm -f "$dir/.memdrs-lab-write-test"
        printf '%s\n' "$dir"
        return
    fi
    alt=/var/lib/memdrs-lab/$(printf '%s' "$dir" | sha256sum | cut -c1-12)
    mkdir -p "$alt" || die "WORKDIR $dir cannot be used ($why), and $alt cannot be created either"
    printf '%s\n' "$alt" >"$dir/lab-workdir" 2>/dev/null || true
    log "WORKDIR $dir cannot be used: $why; using $alt instead" >&2
    printf '%s\n' "$alt"
}

# The directory 'up' really used for DIR (see usable_workdir).
resolved_workdir() { # resolved_workdir DIR
    if [ -f "$1/lab-workdir" ]; then cat "$1/lab-workdir"; else printf '%s\n' "$1"; fi
}

cmd_up() {
    [ $# -le 1 ] || die "usage: $0 up [WORKDIR]"
    local t0
    t0=$(now_us)
    need_root
    WORKDIR=${1:-./target/lab}
    mkdir -p "$WORKDIR" || die "cannot create WORKDIR $WORKDIR"
    WORKDIR=$(cd "$WORKDIR" && pwd -P)
    log "WORKDIR $WORKDIR, URI $URI"
    step "packages" ensure_packages
    WORKDIR=$(usable_workdir "$WORKDIR")
    step "user libvirt-qemu" ensure_qemu_user
    step "config" write_config
    step "libvirtd" ensure_daemon
    step "kernel" fetch_kernel
    step "initramfs" build_initramfs
    step "domains" ensure_domains
    log "up finished in $(fmt_us $(($(now_us) - t0))); next: '$0 wait' blocks until memdrs-lab-ok reports live stats"
}

# ---------------------------------------------------------------- wait

stat_of() { # stat_of "DOMMEMSTAT OUTPUT" FIELD
    awk -v f="$2" '$1 == f { print $2; found = 1 } END { if (!found) print "" }' <<<"$1"
}

console_of() { v dumpxml "$1" 2>/dev/null | sed -n "s|.*<source path='\([^']*\)'.*|\1|p" | head -n1; }

cmd_wait() {
    local timeout=${MEMDRS_LAB_WAIT_TIMEOUT:-90}
    while [ $# -gt 0 ]; do
        case "$1" in
            --timeout) timeout=${2:?--timeout needs seconds}; shift 2 ;;
            --timeout=*) timeout=${1#*=}; shift ;;
            *) die "usage: $0 wait [--timeout SEC]" ;;
        esac
    done
    daemon_answers || die "libvirtd does not answer on $URI; run '$0 up' first"
    local name
    for name in "${DOMAINS[@]}"; do
        [ "$(dom_state "$name")" = running ] || die "$name is not running (state: '$(dom_state "$name")'); run '$0 up' first"
    done
    local t0 elapsed deadline_us out usable lu first_lu="" ok_done=0 frozen_done=0 nodriver_done=0 fout flu nconsole
    t0=$(now_us)
    deadline_us=$((timeout * 1000000))
    nconsole=$(console_of memdrs-lab-nodriver)
    log "waiting up to ${timeout}s for: memdrs-lab-ok usable + advancing last_update; memdrs-lab-frozen one report; memdrs-lab-nodriver guest ready"
    while :; do
        elapsed=$(($(now_us) - t0))
        if [ "$ok_done" = 0 ]; then
            out=$(v dommemstat memdrs-lab-ok 2>&1 || true)
            usable=$(stat_of "$out" usable)
            lu=$(stat_of "$out" last_update)
            if [ -n "$usable" ] && [ -n "$lu" ] && [ "$lu" != 0 ]; then
                if [ -z "$first_lu" ]; then
                    first_lu=$lu
                elif [ "$lu" -gt "$first_lu" ]; then
                    ok_done=1
                fi
            fi
            log "[$(fmt_us "$elapsed")] ok: usable=${usable:--} unused=$(stat_of "$out" unused) actual=$(stat_of "$out" actual) last_update=${lu:--}${first_lu:+ (first seen $first_lu)}"
        fi
        if [ "$frozen_done" = 0 ]; then
            fout=$(v dommemstat memdrs-lab-frozen 2>&1 || true)
            flu=$(stat_of "$fout" last_update)
            if [ -n "$(stat_of "$fout" usable)" ] && [ -n "$flu" ] && [ "$flu" != 0 ]; then
                frozen_done=1
                log "[$(fmt_us "$elapsed")] frozen: reported once, usable=$(stat_of "$fout" usable) last_update=$flu"
            fi
        fi
        if [ "$nodriver_done" = 0 ] && [ -n "$nconsole" ] && grep -q 'memdrs-lab\[nodriver\]: ready' "$nconsole" 2>/dev/null; then
            nodriver_done=1
            log "[$(fmt_us "$elapsed")] nodriver: guest init ready (no balloon driver loaded)"
        fi
        if [ "$ok_done" = 1 ] && [ "$frozen_done" = 1 ] && [ "$nodriver_done" = 1 ]; then
            log "lab ready after $(fmt_us "$elapsed"): memdrs-lab-ok last_update advanced $first_lu -> $lu"
            return 0
        fi
        if [ "$elapsed" -ge "$deadline_us" ]; then
            [ "$ok_done" = 1 ] || log "memdrs-lab-ok last dommemstat: $(tr '\n' ' ' <<<"$out")" >&2
            [ "$frozen_done" = 1 ] || log "memdrs-lab-frozen last dommemstat: $(tr '\n' ' ' <<<"$fout")" >&2
            [ "$nodriver_done" = 1 ] || [ -z "$nconsole" ] || log "nodriver console tail: $(tail -n 3 "$nconsole" 2>/dev/null | tr '\n' ' ')" >&2
            die "timed out after ${timeout}s (ok=$ok_done frozen=$frozen_done nodriver=$nodriver_done); guest consoles: $(dirname "${nconsole:-?}")/"
        fi
        sleep 1
    done
}

# ---------------------------------------------------------------- status / down

cmd_status() {
    [ $# -eq 0 ] || die "usage: $0 status"
    daemon_answers || die "libvirtd does not answer on $URI"
    local name
    for name in "${DOMAINS[@]}"; do
        echo "=== $name"
        if ! dom_exists "$name"; then
            echo "(not defined)"
            continue
        fi
        echo "state: $(dom_state "$name")  uuid: $(v domuuid "$name" | head -n1)  console: $(console_of "$name")"
        echo "--- virsh dommemstat $name"
        v dommemstat "$name" 2>&1 || true
        echo "--- virsh dumpxml $name | grep -A2 memballoon"
        v dumpxml "$name" | grep -A2 memballoon || true
    done
}

stop_daemon() {
    local pid i
    pid=$(cat "$DAEMON_PIDFILE" 2>/dev/null || true)
    if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
        log "no libvirtd process found through $DAEMON_PIDFILE"
    else
        [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = libvirtd ] || die "$DAEMON_PIDFILE names pid $pid, which is not libvirtd"
        kill -TERM "$pid"
        for i in $(seq 1 60); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
        ! kill -0 "$pid" 2>/dev/null || die "libvirtd (pid $pid) did not exit within 30 s"
        log "stopped libvirtd (pid $pid)"
    fi
    if [ -e "$SYSTEM_QEMU_CONF_BACKUP" ]; then
        mv "$SYSTEM_QEMU_CONF_BACKUP" "$SYSTEM_QEMU_CONF"
        log "restored the original $SYSTEM_QEMU_CONF"
    fi
}

undefine_domains() {
    local name state
    for name in "${DOMAINS[@]}"; do
        if ! dom_exists "$name"; then
            log "$name: not defined"
            continue
        fi
        [ "$(v domuuid "$name" | head -n1)" = "${DOM_UUID[$name]}" ] \
            || die "domain $name has UUID $(v domuuid "$name" | head -n1), not the lab's ${DOM_UUID[$name]}; leaving it alone"
        state=$(dom_state "$name")
        if [ "$state" != "shut off" ]; then
            v destroy "$name" >/dev/null || die "virsh destroy $name failed"
        fi
        v undefine "$name" >/dev/null || die "virsh undefine $name failed"
        log "$name: destroyed and undefined (was: $state)"
    done
}

cmd_down() {
    local stop=0
    while [ $# -gt 0 ]; do
        case "$1" in
            --stop-daemon) stop=1; shift ;;
            *) die "usage: $0 down [--stop-daemon]" ;;
        esac
    done
    need_root
    local t0
    t0=$(now_us)
    if daemon_answers; then
        step "domains" undefine_domains
    else
        log "libvirtd does not answer on $URI; no domains to remove"
    fi
    if [ "$stop" = 1 ]; then
        step "stop libvirtd" stop_daemon
    fi
    log "down finished in $(fmt_us $(($(now_us) - t0)))"
}

# ---------------------------------------------------------------- restart-daemon

epoch_ms() { local t=$EPOCHREALTIME; t=${t//[.,]/}; echo "${t:0:-3}"; }

cmd_restart_daemon() {
    local down_for=0 dir=./target/lab name state
    while [ $# -gt 0 ]; do
        case "$1" in
            --down-for) down_for=${2:?--down-for needs seconds}; shift 2 ;;
            --down-for=*) down_for=${1#*=}; shift ;;
            -*) die "usage: $0 restart-daemon [--down-for SEC] [WORKDIR]" ;;
            *) dir=$1; shift ;;
        esac
    done
    [[ "$down_for" =~ ^[0-9]+$ ]] || die "--down-for must be whole seconds, not '$down_for'"
    need_root
    WORKDIR=$(cd "$dir" 2>/dev/null && pwd -P) || die "WORKDIR $dir does not exist; run '$0 up' first"
    WORKDIR=$(resolved_workdir "$WORKDIR")
    [ -f "$WORKDIR/libvirt/libvirtd.conf" ] || die "$WORKDIR has no lab configuration; run '$0 up $dir' first"
    daemon_answers || die "libvirtd does not answer on $URI; run '$0 up' first"
    step "stop libvirtd" stop_daemon
    log "libvirtd stopped at epoch-ms $(epoch_ms); keeping it down for $down_for s"
    sleep "$down_for"
    step "start libvirtd" ensure_daemon
    log "libvirtd answers again at epoch-ms $(epoch_ms)"
    for name in "${DOMAINS[@]}"; do
        state=$(dom_state "$name")
        log "$name: ${state:-not defined}"
    done
}

# ---------------------------------------------------------------- guest-stats

cmd_guest_stats() {
    [ $# -eq 2 ] || die "usage: $0 guest-stats DOMAIN stop|resume"
    local name=$1 action=$2 period interval
    need_root
    [ -n "${DOM_UUID[$name]:-}" ] || die "$name is not a lab guest (${DOMAINS[*]})"
    daemon_answers || die "libvirtd does not answer on $URI; run '$0 up' first"
    [ "$(dom_state "$name")" = running ] || die "$name is not running"
    period=$(live_stats_period "$name")
    case "$action" in
        stop) interval=0 ;;
        resume) interval=${period:-0} ;;
        *) die "usage: $0 guest-stats DOMAIN stop|resume" ;;
    esac
    # QEMU's balloon device polls the guest every guest-stats-polling-interval seconds; libvirt sets it from
    # <stats period>, and this sets it directly through the monitor (libvirt marks the domain tainted).
    v qemu-monitor-command "$name" "{\"execute\":\"qom-set\",\"arguments\":{\"path\":\"/machine/peripheral/balloon0\",\"property\":\"guest-stats-polling-interval\",\"value\":$interval}}" >/dev/null \
        || die "qom-set guest-stats-polling-interval on $name failed"
    log "$name: QEMU polls the guest's balloon statistics every $interval s (0: never); libvirt's period stays ${period:-0} s; last_update $(stat_of "$(v dommemstat "$name")" last_update) at epoch-ms $(epoch_ms)"
}

# ---------------------------------------------------------------- peer: a second hypervisor host

peer_dir() { echo "$WORKDIR/peers/$1"; }
peer_uri() { echo "qemu+tcp://127.0.0.1:$1/system"; }
peer_answers() { timeout 10 virsh -q -c "$(peer_uri "$1")" uri >/dev/null 2>&1; }

# A stable host UUID per peer name: libvirt refuses a migration between two daemons with the same one.
peer_host_uuid() {
    local h
    h=$(printf 'memdrs-lab-peer-%s' "$1" | sha256sum | cut -c1-32)
    echo "${h:0:8}-${h:8:4}-4${h:13:3}-8${h:17:3}-${h:20:12}"
}

peer_write_config() { # peer_write_config NAME PORT
    local dir migration_base
    dir=$(peer_dir "$1")
    # libvirt refuses a loopback migration_address or migration_host: the target hands out its host name, as
    # any libvirtd does, and the guest's memory goes to this machine's address on a port of the peer's own range.
    migration_base=$((49300 + ($2 % 50) * 10))
    mkdir -p "$dir/etc/qemu" "$dir/run" "$dir/lib" "$dir/log"
    write_if_changed "$dir/etc/qemu.conf" "# qemu.conf of the memdrs lab peer $1 (generated by memdrs-lab.sh)
user = \"root\"
group = \"root\"
security_driver = \"none\"
stdio_handler = \"file\"
migration_port_min = $migration_base
migration_port_max = $((migration_base + 9))"
    write_if_changed "$dir/etc/libvirtd.conf" "# libvirtd.conf of the memdrs lab peer $1 (generated by memdrs-lab.sh)
listen_tls = 0
listen_tcp = 1
listen_addr = \"127.0.0.1\"
tcp_port = \"$2\"
auth_tcp = \"none\"
host_uuid = \"$(peer_host_uuid "$1")\"
log_outputs = \"3:file:$dir/log/libvirtd.log\""
}

peer_start() { # peer_start NAME PORT
    local dir i
    dir=$(peer_dir "$1")
    if peer_answers "$2"; then
        log "peer $1 already answers on $(peer_uri "$2")"
        return 0
    fi
    unshare --mount --propagation private -- /bin/sh -c '
        set -e
        for d in /etc/libvirt /run/libvirt /var/lib/libvirt /var/log/libvirt; do mkdir -p "$d"; done
        mount --bind "$1/etc" /etc/libvirt
        mount --bind "$1/run" /run/libvirt
        mount --bind "$1/lib" /var/lib/libvirt
        mount --bind "$1/log" /var/log/libvirt
        exec libvirtd -d --listen -p "$1/libvirtd.pid" -f /etc/libvirt/libvirtd.conf' \
        memdrs-lab-peer "$dir" || die "starting the peer libvirtd $1 in its own mount namespace failed"
    for i in $(seq 1 60); do
        if peer_answers "$2"; then
            log "peer $1 answers on $(peer_uri "$2") (pid $(cat "$dir/libvirtd.pid" 2>/dev/null || echo '?'), host_uuid $(peer_host_uuid "$1"))"
            return 0
        fi
        sleep 0.5
    done
    die "peer libvirtd $1 did not answer on $(peer_uri "$2") within 30 s; see $dir/log/libvirtd.log"
}

peer_kill() { # peer_kill NAME SIGNAL
    local pid i
    pid=$(cat "$(peer_dir "$1")/libvirtd.pid" 2>/dev/null || true)
    if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
        log "peer $1: no libvirtd running"
        return 0
    fi
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = libvirtd ] || die "the peer's pid file names pid $pid, which is not libvirtd"
    kill "-$2" "$pid"
    for i in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    ! kill -0 "$pid" 2>/dev/null || die "peer libvirtd $1 (pid $pid) did not exit within 30 s"
    log "peer $1: libvirtd (pid $pid) ended by SIG$2 at epoch-ms $(epoch_ms)"
}

peer_destroy_guests() { # peer_destroy_guests PORT
    local name
    while read -r name; do
        [ -n "$name" ] || continue
        timeout "$VIRSH_TIMEOUT" virsh -q -c "$(peer_uri "$1")" destroy "$name" >/dev/null 2>&1 || true
        timeout "$VIRSH_TIMEOUT" virsh -q -c "$(peer_uri "$1")" undefine "$name" >/dev/null 2>&1 || true
        log "peer: destroyed and undefined $name"
    done < <(timeout "$VIRSH_TIMEOUT" virsh -q -c "$(peer_uri "$1")" list --all --name 2>/dev/null || true)
}

cmd_peer() {
    [ $# -ge 3 ] && [ $# -le 4 ] || die "usage: $0 peer up|stop|down NAME PORT [WORKDIR]"
    local action=$1 name=$2 port=$3 dir=${4:-./target/lab}
    [[ "$name" =~ ^[a-z0-9-]+$ ]] || die "peer NAME must be lower-case letters, digits and '-', not '$name'"
    [[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -gt 1024 ] && [ "$port" -lt 65536 ] || die "PORT must be 1025..65535, not '$port'"
    need_root
    mkdir -p "$dir" || die "cannot create WORKDIR $dir"
    WORKDIR=$(resolved_workdir "$(cd "$dir" && pwd -P)")
    case "$action" in
        up)
            step "packages" ensure_packages
            step "user libvirt-qemu" ensure_qemu_user
            step "peer config" peer_write_config "$name" "$port"
            step "peer libvirtd" peer_start "$name" "$port"
            ;;
        stop) step "peer stop" peer_kill "$name" KILL ;;
        down)
            if peer_answers "$port"; then step "peer guests" peer_destroy_guests "$port"; fi
            step "peer stop" peer_kill "$name" TERM
            ;;
        *) die "usage: $0 peer up|stop|down NAME PORT [WORKDIR]" ;;
    esac
}

cmd_migrant() {
    [ $# -ge 2 ] && [ $# -le 3 ] || die "usage: $0 migrant start|remove URI [WORKDIR]"
    local action=$1 dir=${3:-./target/lab} name=memdrs-lab-migrant
    URI=$2
    need_root
    WORKDIR=$(resolved_workdir "$(cd "$dir" 2>/dev/null && pwd -P)") || die "WORKDIR $dir does not exist; run '$0 up' first"
    case "$action" in
        start)
            [ -f "$WORKDIR/guest/initramfs.img" ] || die "$WORKDIR has no guest image; run '$0 up $dir' first"
            step "migrant" ensure_domain "$name"
            ;;
        remove)
            v destroy "$name" >/dev/null 2>&1 || true
            v undefine "$name" >/dev/null 2>&1 || true
            rm -f "$WORKDIR/domains/$name.started"
            log "$name removed from $URI"
            ;;
        *) die "usage: $0 migrant start|remove URI [WORKDIR]" ;;
    esac
}

usage() {
    sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'
}

main() {
    local cmd=${1:-}
    [ $# -gt 0 ] && shift
    case "$cmd" in
        up) cmd_up "$@" ;;
        wait) cmd_wait "$@" ;;
        status) cmd_status "$@" ;;
        down) cmd_down "$@" ;;
        restart-daemon) cmd_restart_daemon "$@" ;;
        guest-stats) cmd_guest_stats "$@" ;;
        peer) cmd_peer "$@" ;;
        migrant) cmd_migrant "$@" ;;
        -h | --help | help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
