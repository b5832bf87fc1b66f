"""Deterministic realistic Chinese names and Shandong ID numbers for demo data (never real people)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from skillcert.core import idcard

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
GIVEN_MALE = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛"
GIVEN_FEMALE = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"
REGIONS = (
    "370102",
    "370103",
    "370104",
    "370105",
    "370112",
    "370124",
    "370202",
    "370203",
    "370211",
    "370212",
    "370302",
    "370303",
    "370602",
    "370702",
    "370781",
    "370811",
    "370902",
    "371002",
    "371102",
    "371302",
)


def person_rows(count: int, *, seed: int, today: date) -> list[tuple[str, str, date, str]]:
    """`count` (name, sex, birth date, ID number) tuples, the same for the same seed."""
    rng = random.Random(seed)
    rows: list[tuple[str, str, date, str]] = []
    seen: set[str] = set()
    while len(rows) < count:
        sex = "M" if rng.random() < 0.72 else "F"  # a manufacturing workforce
        pool = GIVEN_MALE if sex == "M" else GIVEN_FEMALE
        given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
        name = rng.choice(SURNAMES) + given
        born = date(1966, 1, 1) + timedelta(days=rng.randrange(0, 365 * 38))
        if (today - born).days < 18 * 365:
            continue
        number = idcard.generate(
            region=rng.choice(REGIONS),
            birth_date=born,
            sex=sex,  # type: ignore[arg-type]
            seq=rng.randrange(0, 1000),
        )
        if number in seen:
            continue
        seen.add(number)
        rows.append((name, sex, born, number))
    return rows


def phone(rng: random.Random) -> str:
    return (
        rng.choice(["138", "139", "150", "151", "158", "186", "187", "135", "137", "177"])
        + f"{rng.randrange(0, 10**8):08d}"
    )
