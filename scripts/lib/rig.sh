# The emulator rig's building blocks, shared by scripts/emu-run and
# scripts/test-e2e: sourced after common.sh, never run.
# shellcheck shell=bash

RIG_QEMU_CPU=qemu64,+svm,+npt,+rdtscp
RIG_BOCHS_CPU=corei7_skylake_x
RIG_GUEST_DIR=$EXITLAT_TOP/scripts/lib/guest
# Kernel messages that fail a boot, matched in the guest's dmesg and in the
# console's kernel lines (those carrying a printk time stamp). WARN() splats
# read "WARNING: CPU: N PID: ..." (or "WARNING: at" on old kernels); a bare
# "WARNING:" also starts informational lines such as 6.1's RETBleed notice on
# Bochs' CPU models, which say nothing about our code.
RIG_KERNEL_BAD='BUG:|WARNING: CPU:|WARNING: at |Oops|soft lockup|hard LOCKUP|rcu_sched detected stalls|rcu_preempt detected stalls|rcu: INFO: .*detected stalls'

# Builds exitlat.ko for the guest kernel when the module part offers the
# module-for target; prints one line saying what happened. A boot goes on
# without the module rather than failing the other checks.
rig_build_module() { # B KDIR RELEASE
	local b=$1 kdir=$2 rel=$3 kout=$1/kmod/$3 log
	if ! grep -qs '^module-for *:' "$EXITLAT_TOP"/module/*.mk "$EXITLAT_TOP"/Makefile; then
		echo "not built: no module-for target in module/module.mk yet"
		return 0
	fi
	mkdir -p "$kout"
	log=$b/kmod/$rel.log
	# Two boots of one kernel may run at once; they share the build.
	if (flock 8 && make -s B="$b" module-for test-modules-for KDIR="$kdir" KMOD_OUT="$kout" >"$log" 2>&1) 8>"$b/kmod/.lock-$rel"; then
		if [ -f "$kout/exitlat.ko" ]; then
			echo "built for $rel in $kout"
		else
			echo "not built: make module-for succeeded but left no $kout/exitlat.ko"
		fi
	else
		tail -n 15 "$log" >&2
		echo "not built: make module-for failed for $rel (log: $log)"
	fi
}

# Module file (.ko, .ko.xz, .ko.zst) for each module name under MODDIR, keyed
# by the name with dashes turned to underscores, as modinfo's depends lists it.
declare -gA RIG_KO=()
rig_index_modules() { # MODDIR
	local f n
	RIG_KO=()
	while IFS= read -r f; do
		n=${f##*/}
		n=${n%%.ko*}
		RIG_KO[${n//-/_}]=$f
	done < <(find "$1" -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst')
}

# Appends NAME's dependencies, then NAME, to RIG_ORDER (each once).
declare -ga RIG_ORDER=()
rig_add_module() { # NAME
	local n=${1//-/_} f d deps soft
	case " ${RIG_ORDER[*]} " in *" $n "*) return 0 ;; esac
	f=${RIG_KO[$n]:-}
	[ -n "$f" ] || { msg "module $1 not found in the guest kernel's modules"; return 1; }
	deps=$(modinfo -F depends "$f" | tr ',' ' ')
	# Soft "pre:" dependencies (e.g. crypto back ends) load first when present.
	soft=$(modinfo -F softdep "$f" | sed -n 's/.*pre: *\([^:]*\)\( post:.*\)\?$/\1/p')
	for d in $deps; do rig_add_module "$d" || return 1; done
	for d in $soft; do
		[ -n "${RIG_KO[${d//-/_}]:-}" ] && { rig_add_module "$d" || return 1; }
	done
	RIG_ORDER+=("$n")
}

# Copies modules NAME... and their dependencies, decompressed, into DEST and
# writes their file names in load order to ORDERFILE.
rig_copy_modules() { # DEST ORDERFILE NAME...
	local dest=$1 order=$2 n f base
	shift 2
	RIG_ORDER=()
	for n in "$@"; do rig_add_module "$n" || return 1; done
	mkdir -p "$dest"
	: >"$order"
	for n in "${RIG_ORDER[@]}"; do
		f=${RIG_KO[$n]}
		base=${f##*/}
		base=${base%%.ko*}.ko
		case $f in
		*.ko.xz) xz -dc "$f" >"$dest/$base" ;;
		*.ko.zst) zstd -qdc "$f" >"$dest/$base" ;;
		*) cp "$f" "$dest/$base" ;;
		esac || { msg "cannot unpack $f"; return 1; }
		echo "$base" >>"$order"
	done
}

rig_make_initramfs() { # WORK B MODDIR RELEASE GUEST_SCRIPT...
	local work=$1 b=$2 moddir=$3 rel=$4 root=$1/root a s name
	shift 4
	rm -rf "$root"
	mkdir -p "$root"/{bin,dev,proc,sys,tmp,out,root,etc,lib/exitlat/blk} \
		"$root"/opt/exitlat/{bin,kmod,guest} || return 1
	ln -s bin "$root/sbin"
	mkdir -p "$root/usr" && ln -s ../bin "$root/usr/bin" && ln -s ../bin "$root/usr/sbin"
	cp /bin/busybox "$root/bin/busybox" || { msg "busybox-static is not installed"; return 1; }
	for a in $(/bin/busybox --list); do
		[ "$a" = busybox ] || ln -s busybox "$root/bin/$a"
	done
	cp "$RIG_GUEST_DIR/init" "$root/init"
	cp "$RIG_GUEST_DIR/exitlat-guest.sh" "$root/lib/exitlat-guest.sh"
	cat >"$root/etc/passwd" <<-EOF
		root:x:0:0:root:/root:/bin/sh
		exitlat:x:1000:1000:exitlat:/tmp:/bin/sh
		nobody:x:65534:65534:nobody:/nonexistent:/bin/sh
	EOF
	cat >"$root/etc/group" <<-EOF
		root:x:0:
		kvm:x:36:exitlat
		exitlat:x:1000:
		nogroup:x:65534:
	EOF
	if compgen -G "$b/static/*" >/dev/null; then
		cp "$b"/static/* "$root/opt/exitlat/bin/"
	else
		msg "warning: no static programs in $b/static (run make B=$b static)"
	fi
	[ -f "$b/kmod/$rel/exitlat.ko" ] && cp "$b/kmod/$rel/exitlat.ko" "$root/opt/exitlat/kmod/"
	[ -f "$b/kmod/$rel/foreign_hv.ko" ] && cp "$b/kmod/$rel/foreign_hv.ko" "$root/opt/exitlat/kmod/"
	rig_index_modules "$moddir"
	rig_copy_modules "$root/opt/exitlat/kmod" "$root/opt/exitlat/kmod/kvm-intel.order" \
		irqbypass kvm kvm_intel || return 1
	rig_copy_modules "$root/opt/exitlat/kmod" "$root/opt/exitlat/kmod/kvm-amd.order" \
		irqbypass kvm ccp kvm_amd || return 1
	# /dev/cpu/N/msr: the host-state check arms IA32_DEBUGCTL through it
	rig_copy_modules "$root/opt/exitlat/kmod" "$root/opt/exitlat/kmod/msr.order" msr || return 1
	rig_copy_modules "$root/lib/exitlat/blk" "$root/lib/exitlat/blk/order" \
		sd_mod ata_piix || return 1
	: >"$root/opt/exitlat/guest/list"
	for s in "$@"; do
		name=${s##*/}
		cp "$s" "$root/opt/exitlat/guest/$name" || return 1
		echo "$name" >>"$root/opt/exitlat/guest/list"
	done
}

rig_pack_initramfs() { # WORK
	(cd "$1/root" && find . | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$1/initrd.gz"
}

# Runs CMD in its own session and kills the whole session (emulator, xvfb-run,
# Xvfb) once the session has used CPU_LIMIT seconds of CPU, or 3 x CPU_LIMIT
# seconds of wall time. CPU time, not wall time: an emulator's work is a fixed
# number of emulated instructions, and on a shared machine the wall time for
# it varies several-fold, while a hung guest spins (or idles through timer
# ticks) and keeps using CPU. Returns CMD's status, or 124 when killed.
rig_run_limited() { # OUTPUT_FILE CPU_LIMIT CMD...
	local log=$1 limit=$2 pid start cpu most=0
	shift 2
	setsid "$@" </dev/null >"$log" 2>&1 &
	pid=$!
	start=$SECONDS
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		cpu=$(ps -s "$pid" -o times= 2>/dev/null | awk '{s += $1} END {print s + 0}')
		# The highest reading, for boot.info: how much work the boot was (the
		# emulator's own time vanishes from the sum once it has exited).
		[ "$cpu" -gt "$most" ] && most=$cpu && echo "$cpu" >"$log.cpu"
		if [ "$cpu" -gt "$limit" ] || [ $((SECONDS - start)) -gt $((3 * limit)) ]; then
			msg "killing the emulator: ${cpu}s CPU, $((SECONDS - start))s wall (limit ${limit}s CPU)"
			kill -TERM -- "-$pid" 2>/dev/null
			sleep 5
			kill -KILL -- "-$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			return 124
		fi
	done
	wait "$pid"
}

rig_boot_qemu() { # WORK CONSOLE VMLINUZ CPU SMP TIMEOUT CMDLINE
	local work=$1 accel=tcg
	# Multi-threaded TCG with two vCPUs hangs or oopses with KVM inside
	# (emulators.md); one thread for all vCPUs does not.
	[ "$5" -gt 1 ] && accel=tcg,thread=single
	rig_run_limited "$work/qemu.out" "$6" qemu-system-x86_64 -accel "$accel" -cpu "$4" -m 512 -smp "$5" \
		-display none -monitor none -serial "file:$2" -no-reboot \
		-kernel "$3" -initrd "$work/initrd.gz" -append "$7" \
		-drive "file=$work/out.img,format=raw,if=ide,index=0"
	local rc=$?
	[ -s "$work/qemu.out" ] && sed 's/^/qemu: /' "$work/qemu.out" | tail -n 5 >&2
	return $rc
}

rig_boot_bochs() { # WORK CONSOLE VMLINUZ CPU SMP TIMEOUT CMDLINE
	local work=$1 iso=$1/iso rc
	mkdir -p "$iso/isolinux"
	cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$iso/isolinux/" ||
		{ msg "isolinux or syslinux-common is not installed"; return 1; }
	cp "$3" "$iso/vmlinuz" && mv "$work/initrd.gz" "$iso/initrd.gz" || return 1
	printf '%s\n' "SERIAL 0 115200" "DEFAULT linux" "PROMPT 0" "LABEL linux" \
		"  KERNEL /vmlinuz" "  APPEND initrd=/initrd.gz $7" >"$iso/isolinux/isolinux.cfg"
	genisoimage -quiet -o "$work/boot.iso" -b isolinux/isolinux.bin -c isolinux/boot.cat \
		-no-emul-boot -boot-load-size 4 -boot-info-table "$iso" || return 1
	rm -rf "$iso"
	cat >"$work/bochsrc" <<-EOF
		megs: 512
		cpu: model=$4, count=$5, ips=200000000
		romimage: file=/usr/share/bochs/BIOS-bochs-latest
		vgaromimage: file=/usr/share/vgabios/vgabios.bin
		ata0-master: type=cdrom, path=$work/boot.iso, status=inserted
		ata0-slave: type=disk, path=$work/out.img, mode=flat
		boot: cdrom
		com1: enabled=1, mode=file, dev=$2
		display_library: x
		speaker: enabled=0
		clock: sync=none
		log: $work/bochs.log
	EOF
	# Bochs' debugger stops at a prompt unless told to continue.
	echo c >"$work/cmds"
	# Two boots may start at once: give each its own range of X displays.
	(cd "$work" && rig_run_limited "$work/bochs.out" "$6" xvfb-run -a -n $((100 + $$ % 400)) \
		bochs -q -f "$work/bochsrc" -rc "$work/cmds")
	rc=$?
	grep -a -A1 'Bochs is exiting' "$work/bochs.out" | tail -n 1 | sed 's/^/bochs: exiting: /' >&2
	return $rc
}

# bochs.log grows by a line per VM entry about the unknown MSR 0x1d9 (which
# Bochs reads as 0): drop those, keep every other error line as it is.
rig_filter_bochs_log() { # IN OUT
	[ -f "$1" ] || return 0
	grep -a -v -i -E 'msr.*0x0*1d9' "$1" >"$2"
}

# Brings the guest's /out back: from the console's base64 block when the
# guest had to use it, else from the tar stream on the second disk. OUT/results
# is the guest's own results file (out/results, written by guest_result): a
# kernel message can cut a console line. Only when the file did not come back
# (the guest never finished, and the boot fails) are the console's
# EXITLAT-RESULT lines taken, wherever on a line the marker sits.
rig_collect() { # OUT WORK
	local out=$1 work=$2
	tr -d '\r' <"$out/console.log" 2>/dev/null >"$work/console.txt"
	if grep -q '^EXITLAT-OUT-BASE64-BEGIN' "$work/console.txt"; then
		sed -n '/^EXITLAT-OUT-BASE64-BEGIN/,/^EXITLAT-OUT-BASE64-END/p' "$work/console.txt" |
			sed '1d;$d' | base64 -d | tar --no-same-owner -xzf - -C "$out/out" ||
			msg "the console's results block is damaged"
	elif [ -s "$work/out.img" ] && grep -q '^EXITLAT-END' "$work/console.txt"; then
		tar --no-same-owner -xf "$work/out.img" -C "$out/out" || msg "cannot read the results disk"
	fi
	if [ -f "$out/out/results" ]; then
		mv -f "$out/out/results" "$out/results"
		echo file >"$work/results.from"
	else
		grep -a -o 'EXITLAT-RESULT .*' "$work/console.txt" | sed 's/^EXITLAT-RESULT //' >"$out/results"
		echo console >"$work/results.from"
	fi
}

# Prints one line per way a result went missing: the results file did not
# come back; it holds fewer or more lines than the scripts' status lines
# counted (results=N); a result the console shows is not in it (by verdict
# and name; a console line a kernel message cut is matched by what is left of
# its name, and is seen only while its marker is whole).
rig_results_check() { # OUT
	local out=$1 con=$1/work/console.txt
	if [ "$(cat "$out/work/results.from" 2>/dev/null)" != file ]; then
		echo "the guest's results file did not come back: results taken from the console"
		return 0
	fi
	awk '
		FILENAME == ARGV[1] { held[++nheld] = $1 " " substr($2, 1, index($2 ":", ":") - 1); next }
		/^EXITLAT-SCRIPT-STATUS / {
			for (i = 5; i <= NF; i++)
				if ($i ~ /^results=[0-9]+$/) {
					n = substr($i, 9); counted += n; per = per sep $2 " " n; sep = ", "
				}
		}
		{
			line = $0
			while ((p = index(line, "EXITLAT-RESULT ")) > 0) {
				line = substr(line, p + 15)
				split(line, w, " ")
				# a name a kernel line cut ("modu[   11.2]") is matched by its start
				name = w[1] " " substr(w[2], 1, index(w[2] ":", ":") - 1)
				sub(/\[.*/, "", name)
				found = 0
				for (i = 1; i <= nheld && !found; i++)
					found = index(held[i], name) == 1
				if (!found) { lacks = lacks sep2 name; sep2 = ", " }
			}
		}
		END {
			if (per != "" && counted != nheld)
				printf "the scripts counted %d results (%s), the results file holds %d\n", counted, per, nheld
			if (lacks != "")
				printf "on the console, not in the results file: %s\n", lacks
		}' "$out/results" "$con"
}

RIG_KERNEL_ALLOW=$EXITLAT_TOP/tests/e2e/kernel-log-allow

# Prints each offending kernel line as "B LINE" (fails the boot) or "T LINE"
# (a warning the emulated CPU causes at boot, tolerated only before /init
# marks the kernel log and only as tests/e2e/kernel-log-allow lists it). The
# console counts only for lines with a printk time stamp; our own output there
# may say anything.
rig_kernel_log_check() { # EMU CONSOLE KERNEL_LOG
	local files=("$2")
	[ -f "$3" ] && files+=("$3")
	awk -v emu="$1" -v bad="$RIG_KERNEL_BAD" -v allowfile="$RIG_KERNEL_ALLOW" '
		BEGIN {
			while ((getline l < allowfile) > 0) {
				if (l ~ /^[ \t]*(#|$)/) continue
				split(l, f, "\t")
				if (f[1] == emu) allow[++na] = f[2]
			}
		}
		FNR == 1 { pre = 1; console = (FILENAME !~ /kernel\.log$/) }
		/EXITLAT-INIT|^EXITLAT-BOOT/ { pre = 0 }
		{
			if (console && $0 !~ /^\[ *[0-9]+\.[0-9]+\]/) next
			if ($0 !~ bad) next
			t = 0
			if (pre) for (i = 1; i <= na; i++) if ($0 ~ allow[i]) t = 1
			print (t ? "T " : "B ") $0
		}' "${files[@]}"
}

# Writes the per-script and kernel-log lines to OUT/status, prints the boot's
# verdict; returns 0 only for a clean, complete boot.
rig_judge() { # OUT EMU_RC TIMEOUT NSCRIPTS
	local out=$1 emu_rc=$2 t=$3 n=$4 con=$1/work/console.txt why=() bad st emu
	emu=$(awk '$1 == "emu" {print $2}' "$out/boot.info")
	if [ ! -s "$con" ]; then
		why+=("no console output")
	fi
	case $emu_rc in 124 | 137) why+=("killed after the ${t}s timeout (emulator CPU time)") ;; esac
	grep -a '^EXITLAT-SCRIPT-STATUS ' "$con" |
		awk '{print "script", $2, $3, ($4 == "" ? "" : "guest_s=" $4), $5}' >>"$out/status"
	st=$(grep -c '^script ' "$out/status")
	[ "$st" = "$n" ] || why+=("$st of $n scripts finished")
	bad=$(awk '$1 == "script" && $3 != "0" {printf "%s%s(exit %s)", sep, $2, $3; sep=", "}' "$out/status")
	[ -n "$bad" ] && why+=("failed: $bad")
	if grep -q '^EXITLAT-END' "$con"; then
		echo "end yes" >>"$out/status"
	else
		echo "end no" >>"$out/status"
		why+=("no end marker (emulator exit status $emu_rc)")
	fi
	while IFS= read -r bad; do
		why+=("results: $bad")
	done < <(rig_results_check "$out")
	echo "results $(grep -c . "$out/results") from the $(cat "$out/work/results.from" 2>/dev/null || echo console)" >>"$out/status"
	bad=$(rig_kernel_log_check "$emu" "$con" "$out/out/kernel.log")
	if grep -q '^B ' <<<"$bad"; then
		echo "kernel-log dirty: $(grep -m1 '^B ' <<<"$bad" | cut -c3-)" >>"$out/status"
		why+=("kernel log: $(grep -m1 '^B ' <<<"$bad" | cut -c3-)")
	elif grep -q '^T ' <<<"$bad"; then
		echo "kernel-log clean (tolerated before init: $(grep '^T ' <<<"$bad" | cut -c3- |
			sed 's/^.*WARNING: CPU: [0-9]* PID: [0-9]* at //' | paste -sd';'))" >>"$out/status"
	elif [ -f "$out/out/kernel.log" ]; then
		echo "kernel-log clean" >>"$out/status"
	else
		echo "kernel-log clean (console only: the guest's dmesg did not come back)" >>"$out/status"
	fi
	if [ ${#why[@]} = 0 ]; then
		echo "boot ok"
		return 0
	fi
	printf 'boot FAIL: %s' "${why[0]}"
	[ ${#why[@]} -gt 1 ] && printf '; %s' "${why[@]:1}"
	echo
	return 1
}
