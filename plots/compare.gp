# Two runs (e.g. two kernels, two hosts) side by side for the kinds both have,
# one rung per kind: median points with a whisker out to p99, native and KVM,
# run A and run B.
# Variables (besides style.gp's):
#   data, data_b   the runs' rungs-E.dat of exitlat-analyze --gnuplot (A, B;
#                  docs/analysis-outputs.md)
#   label_a, label_b   names of the two runs in the key (render-plots --labels,
#                  strictly checked); default: their kernels when these differ,
#                  else their hosts, else the times they were measured, else A, B
# A measured run is never compared with an emulated one.
if (!exists("plotdir")) plotdir = 'plots'
set datafile separator "\t"
# The two runs' environments; strings come decoded through strcol().
stats data index 0 using (host_a = strcol(2), host_a_tex = strcol(3), kern_a = strcol(4), \
	kern_a_tex = strcol(5), time_a = strcol(6), time_a_tex = strcol(7), \
	emu_a = strcol(8) + 0, emu_name_a = strcol(9), emu_name_a_tex = strcol(10), \
	tsc_a = strcol(11) + 0, na = int(strcol(15) + 0), xh_a = strcol(16) + 0, \
	xk_a = strcol(17) + 0, xt_a = strcol(18) + 0, 0) nooutput
stats data_b index 0 using (host_b = strcol(2), host_b_tex = strcol(3), kern_b = strcol(4), \
	kern_b_tex = strcol(5), time_b = strcol(6), time_b_tex = strcol(7), \
	emu_b = strcol(8) + 0, emu_name_b = strcol(9), emu_name_b_tex = strcol(10), \
	tsc_b = strcol(11) + 0, nb = int(strcol(15) + 0), xh_b = strcol(16) + 0, \
	xk_b = strcol(17) + 0, xt_b = strcol(18) + 0, 0) nooutput
if (emu_a != emu_b) {
	print sprintf("compare.gp: cannot compare an emulated run with a measured one (A: %s, B: %s)", \
		emu_a ? 'emulated' : 'measured', emu_b ? 'emulated' : 'measured')
	exit status 1
}

# The rungs of both, then those of A that B has too, in A's order (the key
# column is the kind's whole name, the label maybe cut).
array KA[na > 0 ? na : 1]
array LA[na > 0 ? na : 1]
array LA_TEX[na > 0 ? na : 1]
array VA[(na > 0 ? na : 1) * 4]
array KB[nb > 0 ? nb : 1]
array VB[(nb > 0 ? nb : 1) * 4]
r_ = 0
if (na > 0) { stats data index 1 using (r_ = r_ + 1, KA[r_] = strcol(13), LA[r_] = strcol(2), \
	LA_TEX[r_] = strcol(3), VA[4 * r_ - 3] = strcol(5), VA[4 * r_ - 2] = strcol(8), \
	VA[4 * r_ - 1] = strcol(9), VA[4 * r_] = strcol(12), 0) nooutput }
r_ = 0
if (nb > 0) { stats data_b index 1 using (r_ = r_ + 1, KB[r_] = strcol(13), \
	VB[4 * r_ - 3] = strcol(5), VB[4 * r_ - 2] = strcol(8), VB[4 * r_ - 1] = strcol(9), \
	VB[4 * r_] = strcol(12), 0) nooutput }
set datafile separator whitespace
nk = 0
array ROW[na > 0 ? na : 1]
array PEER[na > 0 ? na : 1]
do for [i = 1:na] {
	do for [j = 1:nb] {
		if (KA[i] eq KB[j]) { nk = nk + 1; ROW[nk] = i; PEER[nk] = j }
	}
}
if (nk == 0) {
	print "compare.gp: the two runs have no exit kind in common: no comparison"
	exit status 1
}
# Per rung: x a_nat_med a_nat_p99 b_nat_med b_nat_p99 a_kvm_med a_kvm_p99 b_kvm_med b_kvm_p99
# (numbers as the files wrote them, NaN where a side is missing).
set print $ROWS
do for [k = 1:nk] {
	i = ROW[k]
	j = PEER[k]
	print sprintf("%d %s %s %s %s %s %s %s %s", k, VA[4 * i - 3], VA[4 * i - 2], VB[4 * j - 3], \
		VB[4 * j - 2], VA[4 * i - 1], VA[4 * i], VB[4 * j - 1], VB[4 * j])
}
unset print
array RUNG[nk]
array RUNG_TEX[nk]
do for [k = 1:nk] { RUNG[k] = LA[ROW[k]]; RUNG_TEX[k] = LA_TEX[ROW[k]] }
rung(x) = is_tex ? RUNG_TEX[x] : RUNG[x]

# The runs' names: given, else what tells them apart; with how much longer
# gnuplot guesses their LaTeX forms than what prints (the analysis says).
x_ab = 0
if (!exists("label_a") || !exists("label_b")) {
	if (kern_a ne kern_b) { label_a = kern_a; label_b = kern_b; label_a_tex = kern_a_tex; label_b_tex = kern_b_tex; x_ab = xk_a > xk_b ? xk_a : xk_b } else {
	if (host_a ne host_b) { label_a = host_a; label_b = host_b; label_a_tex = host_a_tex; label_b_tex = host_b_tex; x_ab = xh_a > xh_b ? xh_a : xh_b } else {
	if (time_a ne time_b) { label_a = time_a; label_b = time_b; label_a_tex = time_a_tex; label_b_tex = time_b_tex; x_ab = xt_a > xt_b ? xt_a : xt_b } else {
	label_a = 'A'; label_b = 'B' } } }
}
if (!exists("label_a_tex")) { label_a_tex = label_a; label_b_tex = label_b }

# Stamp and nanoseconds: both emulated (names joined when they differ), or
# both measured at one TSC rate.
emulated = emu_a
emu_name = (emu_name_a eq emu_name_b) ? emu_name_a : emu_name_a.'-vs-'.emu_name_b
emu_name_tex = (emu_name_a_tex eq emu_name_b_tex) ? emu_name_a_tex : emu_name_a_tex.'-vs-'.emu_name_b_tex
tsc_khz = (tsc_a == tsc_b) ? tsc_a : 0
xlog = 1
# Which series exist (one with no data at all, e.g. no native side, gets no
# key entry), and whether every value is equal (a deterministic emulated
# path): then a range around it. Slots: 1 native A, 2 native B, 3 KVM A, 4 KVM B.
array present[4]
do for [s = 1:4] { present[s] = 0 }	# an array element never set is no integer
vmin = NaN
vmax = NaN
do for [k = 1:nk] {
	do for [s = 1:4] {
		v = (s % 2 ? VA[4 * ROW[k] - 3 + (s > 2 ? 2 : 0)] : VB[4 * PEER[k] - 3 + (s > 2 ? 2 : 0)]) + 0
		w = (s % 2 ? VA[4 * ROW[k] - 2 + (s > 2 ? 2 : 0)] : VB[4 * PEER[k] - 2 + (s > 2 ? 2 : 0)]) + 0
		if (v == v) {
			present[s] = 1
			if (!(vmin <= v)) { vmin = v }
			if (!(vmax >= v)) { vmax = v }
			if (w == w && w > vmax) { vmax = w }
		}
	}
}
if (vmin == vmax && vmin > 0) { xlo = vmin / 2.0; xhi = vmin * 2.0 }
load plotdir.'/style.gp'
# The figure grows with its rungs: 3 cm of axes and key, then 1.1 cm per rung.
if (3 + nk * 1.1 > h_cm) h_cm = 3 + nk * 1.1

ttl(s, t) = present[s] ? t : ''
la = is_tex ? label_a_tex : label_a
lb = is_tex ? label_b_tex : label_b
# cairolatex: gnuplot sizes the margin by the LaTeX source, longer than what prints.
if (is_tex) {
	longest = 0
	do for [k = 1:nk] { if (strlen(RUNG[k]) > longest) { longest = strlen(RUNG[k]) } }
	set lmargin (longest < 30 ? longest : 30) + 2
}
# Long run names go in the key's title, one a line, and its entries say A and
# B: an entry as wide as a name can be wider than the plot once the rung labels
# take their margin (gnuplot's "difficulty fitting plot titles into key").
# For cairolatex the key gives back what gnuplot's guess adds to LaTeX names.
long_names = strlen(label_a) > 10 || strlen(label_b) > 10
key_title = 'point: median, whisker: p99'
if (long_names) {
	h_cm = h_cm + 0.8
	key_title = 'A: '.la."\n".'B: '.lb."\n".key_title
	la = 'A'
	lb = 'B'
}
key_fudge = (is_tex && !long_names) ? -x_ab : 0
set yrange [nk + 0.6:0.4]
set logscale x
set format x log_fmt
set mxtics 10
set xlabel cyc_label
set ytics scale 0 nomirror
set grid xtics noytics
set key below horizontal maxcols 2 samplen 1.5 width key_fudge
set key title key_title
set errorbars 0.5

# Order within a rung: native A, native B, KVM A, KVM B (line types 1, 3, 2, 4),
# the series present spread evenly around the rung's label.
np = 0
array slot[4]
do for [s in "1 3 2 4"] {
	if (present[s + 0]) { np = np + 1; slot[s + 0] = np } else { slot[s + 0] = 0 }
}
dy(s) = (slot[s] - (np + 1) / 2.0) * 0.18

# The rung labels sit at the rung itself (an invisible series carries them).
plot $ROWS using (NaN):1:ytic(rung(int($1))) notitle, \
     ''   using 2:($1 + dy(1)):2:3 with xerrorbars lt 1 lw 0.8 ps 0 notitle, \
     ''   using 2:($1 + dy(1)) with points lt 1 title ttl(1, 'native, '.la), \
     ''   using 4:($1 + dy(2)):4:5 with xerrorbars lt 3 lw 0.8 ps 0 notitle, \
     ''   using 4:($1 + dy(2)) with points lt 3 title ttl(2, 'native, '.lb), \
     ''   using 6:($1 + dy(3)):6:7 with xerrorbars lt 2 lw 0.8 ps 0 notitle, \
     ''   using 6:($1 + dy(3)) with points lt 2 title ttl(3, 'KVM, '.la), \
     ''   using 8:($1 + dy(4)):8:9 with xerrorbars lt 4 lw 0.8 ps 0 notitle, \
     ''   using 8:($1 + dy(4)) with points lt 4 title ttl(4, 'KVM, '.lb)

eval ns_axis
eval set_term
replot
