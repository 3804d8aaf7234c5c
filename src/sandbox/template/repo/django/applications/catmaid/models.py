from django.db import models


class Project(models.Model):
    title = models.TextField()
    comment = models.TextField(blank=True, null=True)

    class Meta:
        db_table = 'project'


class Treenode(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE)
    parent = models.ForeignKey('self', on_delete=models.CASCADE, null=True, related_name='children')
    skeleton_id = models.BigIntegerField(db_index=True)
    location_x = models.FloatField()
    location_y = models.FloatField()
    location_z = models.FloatField()
    radius = models.FloatField(default=-1)
    confidence = models.IntegerField(default=5)
    creation_time = models.DateTimeField(auto_now_add=True)
    edition_time = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = 'treenode'


class TreenodeEdge(models.Model):
    """Derived from treenode: one edge from each node to its parent (a point for root nodes)."""
    id = models.BigIntegerField(primary_key=True)
    project = models.ForeignKey(Project, on_delete=models.CASCADE)
    start_x = models.FloatField()
    start_y = models.FloatField()
    start_z = models.FloatField()
    end_x = models.FloatField()
    end_y = models.FloatField()
    end_z = models.FloatField()

    class Meta:
        db_table = 'treenode_edge'


class Connector(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE)
    location_x = models.FloatField()
    location_y = models.FloatField()
    location_z = models.FloatField()
    confidence = models.IntegerField(default=5)
    creation_time = models.DateTimeField(auto_now_add=True)
    edition_time = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = 'connector'


class TreenodeConnector(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE)
    treenode = models.ForeignKey(Treenode, on_delete=models.CASCADE)
    connector = models.ForeignKey(Connector, on_delete=models.CASCADE)
    skeleton_id = models.BigIntegerField(db_index=True)
    relation_name = models.CharField(max_length=64)
    confidence = models.IntegerField(default=5)

    class Meta:
        db_table = 'treenode_connector'
