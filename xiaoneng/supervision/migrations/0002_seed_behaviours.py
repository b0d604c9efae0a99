from django.db import migrations

BEHAVIOURS = [
    ("守摊子", "安于现状、不思进取，满足于守住摊子不出事"),
    ("等靠要", "等上级安排、靠外部支持、要政策资金，不主动作为"),
    ("太平官", "只求平安无事，不敢碰硬、不愿得罪人"),
    ("数字游戏", "弄虚作假、虚报数据，以数字代替落实"),
    ("推诿扯皮", "遇事推脱、相互扯皮，职责边界问题久拖不决"),
    ("只说不做", "表态多、调门高、行动少、落实差"),
    ("不担当不作为", "遇到矛盾绕着走、碰到难题往上交"),
]


def seed(apps, schema_editor):
    Behaviour = apps.get_model("supervision", "Behaviour")
    for sort, (name, description) in enumerate(BEHAVIOURS, start=1):
        Behaviour.objects.get_or_create(name=name, defaults={"description": description, "sort": sort})


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
