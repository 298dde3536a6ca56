# Environment record of a run: sourced by scripts/run (after common.sh), never run.
# shellcheck shell=bash
#
# env_record FILE    writes FILE atomically: "key: value" lines, the same
#                    "key: value" shape as a sample file's header (keys host,
#                    kernel, cpu_model, microcode, time, emulated match it), and
#                    "warning.N: text" for each setting that makes latency noisy.
# env_warnings FILE  prints the warnings of a record, one a line.
# write_atomic FILE  copies stdin to FILE through a temporary file and a rename.
#
# env_cpu_virt       vmx, svm or none: the CPU's virtualization extension.
#
# Every key is present on every machine; what cannot be read is "unknown",
# what does not exist is "none" (e.g. no isolated CPU).
# $EXITLAT_CPUINFO: read instead of /proc/cpuinfo (tests play another CPU).

write_atomic() { # FILE < content
	local dst=$1 tmp
	tmp=$(mktemp "$dst.tmp.XXXXXX") || return 1
	if cat >"$tmp" && chmod 0644 "$tmp" && { sync "$tmp" 2>/dev/null || :; } &&
		mv -f "$tmp" "$dst"; then
		return 0
	fi
	rm -f "$tmp"
	return 1
}

_env_line() { # FILE -> first line, or "unknown"
	local v
	if [ -r "$1" ] && IFS= read -r v <"$1" 2>/dev/null; then
		printf '%s' "${v:-none}"
	else
		printf 'unknown'
	fi
}

_env_cpuinfo() { # KEY -> value of the first "KEY : value" line
	local v
	v=$(sed -n "s/^$1[[:space:]]*: *//p" "${EXITLAT_CPUINFO:-/proc/cpuinfo}" 2>/dev/null | head -1)
	printf '%s' "${v:-unknown}"
}

_env_has_flag() { # FLAG
	grep -qw -- "$1" <<<"$_env_flags"
}

env_cpu_virt() {
	_env_flags=$(_env_cpuinfo flags)
	if _env_has_flag vmx; then echo vmx
	elif _env_has_flag svm; then echo svm
	else echo none; fi
}

# Sets: the globals the warnings and the report use (env_virt_hw, env_kvm_backend, ...).
_env_collect() {
	env_virt_hw=$(env_cpu_virt)
	_env_flags=$(_env_cpuinfo flags)

	env_kvm_backend=none
	local m
	for m in kvm_intel kvm_amd kvm_pvm; do
		[ -d "/sys/module/$m" ] && env_kvm_backend=$m && break
	done
	# $KVM_PROBE_DEV: the device kvm-probe opens instead of /dev/kvm (tests use
	# it to play a machine without one).
	local kdev=${KVM_PROBE_DEV:-/dev/kvm}
	if [ ! -e "$kdev" ]; then env_dev_kvm=absent
	elif [ -r "$kdev" ] && [ -w "$kdev" ]; then env_dev_kvm=usable
	else env_dev_kvm=no-permission; fi

	# Frequency governor: the distinct governors of all online CPUs.
	env_governor=$(cat /sys/devices/system/cpu/cpu[0-9]*/cpufreq/scaling_governor 2>/dev/null |
		sort -u | paste -sd, -)
	[ -n "$env_governor" ] || env_governor=none

	# Turbo: intel_pstate says "no_turbo", acpi-cpufreq and amd say "boost".
	if [ -r /sys/devices/system/cpu/intel_pstate/no_turbo ]; then
		[ "$(_env_line /sys/devices/system/cpu/intel_pstate/no_turbo)" = 1 ] &&
			env_turbo=off || env_turbo=on
	elif [ -r /sys/devices/system/cpu/cpufreq/boost ]; then
		[ "$(_env_line /sys/devices/system/cpu/cpufreq/boost)" = 1 ] &&
			env_turbo=on || env_turbo=off
	else
		env_turbo=unknown
	fi

	env_smt_control=$(_env_line /sys/devices/system/cpu/smt/control)
	env_smt_active=$(_env_line /sys/devices/system/cpu/smt/active)
	env_isolated=$(_env_line /sys/devices/system/cpu/isolated)
	env_nohz_full=$(_env_line /sys/devices/system/cpu/nohz_full)
	[ "$env_nohz_full" = "(null)" ] && env_nohz_full=none

	env_tsc_flags=
	local f
	for f in tsc rdtscp constant_tsc nonstop_tsc tsc_known_freq tsc_reliable tsc_deadline_timer tsc_adjust; do
		_env_has_flag "$f" && env_tsc_flags+="${env_tsc_flags:+ }$f"
	done
	env_tsc_flags=${env_tsc_flags:-none}
	env_clocksource=$(_env_line /sys/devices/system/clocksource/clocksource0/current_clocksource)
	_env_has_flag hypervisor && env_under_hypervisor=yes || env_under_hypervisor=no

	# TSC rate: the kernel's refined calibration when the log is readable.
	env_tsc_khz=$(dmesg 2>/dev/null | sed -n 's/.*tsc: Refined TSC clocksource calibration: \([0-9.]*\) MHz.*/\1/p' | tail -1)
	if [ -z "$env_tsc_khz" ]; then
		env_tsc_khz=$(dmesg 2>/dev/null | sed -n 's/.*tsc: Detected \([0-9.]*\) MHz.*processor.*/\1/p' | tail -1)
	fi
	if [ -n "$env_tsc_khz" ]; then
		env_tsc_khz=$(awk -v m="$env_tsc_khz" 'BEGIN { printf "%d", m * 1000 + 0.5 }')
	else
		env_tsc_khz=unknown
	fi
}

# Prints the noise warnings, one a line (none: prints nothing).
_env_warnings_now() {
	[ "$env_turbo" = on ] &&
		echo "turbo is on: the clock changes with load and temperature (intel_pstate/no_turbo=1 or cpufreq/boost=0)"
	[ "$env_turbo" = unknown ] &&
		echo "turbo state unknown (no intel_pstate/no_turbo nor cpufreq/boost): cannot tell whether the clock is fixed"
	if [ "$env_governor" = none ]; then
		echo "no cpufreq governor visible: the frequency policy is unknown"
	elif [ "$env_governor" != performance ]; then
		echo "frequency governor is '$env_governor', not 'performance': the clock may ramp during a run"
	fi
	[ "$env_isolated" = none ] || [ "$env_isolated" = unknown ] &&
		echo "no isolated CPU (isolcpus=): the measured CPU shares time with the rest of the system"
	[ "$env_smt_active" = 1 ] &&
		echo "SMT is active: a sibling thread competes for the core (smt/control=off, or keep the sibling idle)"
	[ "$env_clocksource" != tsc ] && [ "$env_clocksource" != unknown ] &&
		echo "clocksource is '$env_clocksource', not 'tsc': the kernel does not trust the TSC here"
	_env_has_flag constant_tsc && _env_has_flag nonstop_tsc ||
		echo "TSC lacks constant_tsc/nonstop_tsc: cycle counts may not be a fixed time base"
	[ "$env_under_hypervisor" = yes ] &&
		echo "this machine is itself a virtual machine (hypervisor flag): its host adds exits and steal time"
	return 0
}

env_record() { # FILE
	local file=$1 p n=0 w m
	_env_collect
	{
		echo "# exitlat environment record (key: value; warning.N lines flag noisy settings)"
		echo "host: $(hostname 2>/dev/null || echo unknown)"
		echo "time: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo "kernel: $(uname -r) $(uname -v)"
		echo "cmdline: $(_env_line /proc/cmdline)"
		echo "cpu_vendor: $(_env_cpuinfo vendor_id)"
		echo "cpu_model: $(_env_cpuinfo 'model name')"
		echo "cpu_family_model_stepping: $(_env_cpuinfo 'cpu family')/$(_env_cpuinfo model)/$(_env_cpuinfo stepping)"
		echo "microcode: $(_env_cpuinfo microcode)"
		echo "cpus_online: $(_env_line /sys/devices/system/cpu/online)"
		echo "virt_hw: $env_virt_hw"
		echo "under_hypervisor: $env_under_hypervisor"
		echo "dev_kvm: $env_dev_kvm"
		echo "kvm_backend: $env_kvm_backend"
		for m in kvm kvm_intel kvm_amd kvm_pvm; do
			[ -d "/sys/module/$m/parameters" ] || continue
			for p in /sys/module/$m/parameters/*; do
				[ -f "$p" ] || continue
				echo "kvm_param.$m.${p##*/}: $(_env_line "$p")"
			done
		done
		echo "governor: $env_governor"
		echo "cpufreq_driver: $(_env_line /sys/devices/system/cpu/cpu0/cpufreq/scaling_driver)"
		echo "turbo: $env_turbo"
		echo "smt_control: $env_smt_control"
		echo "smt_active: $env_smt_active"
		echo "isolated_cpus: $env_isolated"
		echo "nohz_full: $env_nohz_full"
		echo "tsc_flags: $env_tsc_flags"
		echo "tsc_khz: $env_tsc_khz"
		echo "clocksource: $env_clocksource"
		echo "exitlat_commit: $(git -C "$EXITLAT_TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$EXITLAT_TOP" diff --quiet HEAD 2>/dev/null || echo ' (modified)')"
		while IFS= read -r w; do
			[ -n "$w" ] || continue
			n=$((n + 1))
			echo "warning.$n: $w"
		done < <(_env_warnings_now)
	} | write_atomic "$file"
}

env_warnings() { # FILE
	sed -n 's/^warning\.[0-9]*: //p' "$1"
}

env_get() { # FILE KEY -> value ("" when absent)
	sed -n "s/^$2: //p" "$1" | head -1
}
