#!/usr/bin/env python3
# Writes tests/slt/cases/join_differential.slt: random join queries over the tables of
# join_planning.slt, with PostgreSQL's answers.
#
#   gen_join_differential.py SEED COUNT SETUP_SQL OUT_SLT
#
# SETUP_SQL holds the CREATE TABLE / INSERT statements (one per `;`-terminated line
# group), already run in a PostgreSQL database `jp` reachable with the environment's
# PG* variables (PGHOST, PGPORT, PGUSER). Queries PostgreSQL rejects or that return more
# than 200 rows are skipped.
import random, subprocess, sys
seed, count, setup_path, out_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
random.seed(seed)
tables = {'r':['id','s_id','v'], 's':['id','t_id'], 't':['id','k'], 'd':['x']}
def pg(sql):
    r=subprocess.run(['psql','-X','-q','-A','-t','-F','\t','-P','null=NULL','-d','jp','-c',sql],capture_output=True,text=True)
    if r.returncode: return None
    return [l for l in r.stdout.rstrip('\n').split('\n')] if r.stdout.strip() else []
out=[]
n=0
while n < count:
    k=random.randint(2,4)
    refs=[]
    for i in range(k):
        t=random.choice(list(tables)); refs.append((t, f"{t}{i}"))
    def cols(i): return [f"{refs[i][1]}.{c}" for c in tables[refs[i][0]]]
    def anycol(upto): 
        i=random.randint(0,upto); return random.choice(cols(i))
    frm=f"{refs[0][0]} {refs[0][1]}"
    for i in range(1,k):
        kind=random.choice([',',',','JOIN','LEFT JOIN','LEFT JOIN','FULL JOIN'])
        if kind==',':
            frm+=f", {refs[i][0]} {refs[i][1]}"
        else:
            on=f"{random.choice(cols(i))} = {anycol(i-1)}"
            if kind!='FULL JOIN' and random.random()<0.4:
                c=random.choice(cols(i) + cols(i-1))
                on+=random.choice([f" AND {c} > {random.randint(0,15)}", f" AND {c} IS NOT NULL", f" AND {c} <> {random.randint(0,3)}"])
            frm+=f" {kind} {refs[i][0]} {refs[i][1]} ON {on}"
    conj=[]
    for _ in range(random.randint(0,4)):
        c=anycol(k-1)
        conj.append(random.choice([f"{c} = {anycol(k-1)}", f"{c} = {random.randint(0,10)}", f"{c} > {random.randint(0,20)}",
            f"{c} IS NULL", f"{c} IS NOT NULL", f"({c} = {random.randint(0,3)} OR {anycol(k-1)} IS NULL)", f"{c} + 1 = {anycol(k-1)}",
            f"COALESCE({c}, 0) = {random.randint(0,2)}", f"{c} IN (1, 2, 10)"]))
    where=(" WHERE "+" AND ".join(conj)) if conj else ""
    sel=", ".join(random.sample([c for i in range(k) for c in cols(i)], 2))
    sql=f"SELECT {sel} FROM {frm}{where}"
    res=pg(sql)
    if res is None: continue
    if len(res)>200: continue
    n+=1
    out.append(f"query II rowsort\n{sql}\n----\n" + "\n".join(res) + "\n")
    csql=f"SELECT count(*) FROM {frm}{where}"
    out.append(f"query I nosort\n{csql}\n----\n" + "\n".join(pg(csql)) + "\n")
setup=[l.strip().rstrip(';') for l in open(setup_path).read().split(';\n') if l.strip()]
pre="\n".join(f"statement ok\n{s}\n" for s in setup)
open(out_path,'w').write(pre+"\n"+"\n".join(out))
