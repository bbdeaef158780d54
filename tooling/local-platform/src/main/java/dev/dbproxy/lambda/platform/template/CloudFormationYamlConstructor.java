package dev.dbproxy.lambda.platform.template;

import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads CloudFormation's short-form intrinsic tags ({@code !Ref X}, {@code !Sub ...}, {@code !If [...]}) as their
 * long form ({@code {Ref: X}}, {@code {Fn::Sub: ...}}), so that the resolver sees one shape and can name any
 * function it does not support. A tag that is not an intrinsic function stays an error of the YAML parser.
 * Public for tests that read what {@link SamTemplate} does not evaluate, such as {@code Policies} and {@code CodeUri}.
 */
public final class CloudFormationYamlConstructor extends SafeConstructor {

    private static final Map<String, String> SHORT_FORMS = Map.ofEntries(
            Map.entry("!Ref", "Ref"),
            Map.entry("!Condition", "Condition"),
            Map.entry("!Sub", "Fn::Sub"),
            Map.entry("!GetAtt", "Fn::GetAtt"),
            Map.entry("!If", "Fn::If"),
            Map.entry("!Join", "Fn::Join"),
            Map.entry("!Select", "Fn::Select"),
            Map.entry("!Split", "Fn::Split"),
            Map.entry("!FindInMap", "Fn::FindInMap"),
            Map.entry("!Base64", "Fn::Base64"),
            Map.entry("!Cidr", "Fn::Cidr"),
            Map.entry("!Equals", "Fn::Equals"),
            Map.entry("!And", "Fn::And"),
            Map.entry("!Or", "Fn::Or"),
            Map.entry("!Not", "Fn::Not"),
            Map.entry("!ImportValue", "Fn::ImportValue"),
            Map.entry("!GetAZs", "Fn::GetAZs"),
            Map.entry("!Transform", "Fn::Transform"),
            Map.entry("!ToJsonString", "Fn::ToJsonString"),
            Map.entry("!Length", "Fn::Length"));

    /** A constructor for {@code new Yaml(new CloudFormationYamlConstructor())}. */
    public CloudFormationYamlConstructor() {
        super(new LoaderOptions());
        SHORT_FORMS.forEach((tag, function) -> yamlConstructors.put(new Tag(tag), new IntrinsicConstruct(function)));
    }

    private final class IntrinsicConstruct extends AbstractConstruct {
        private final String function;

        IntrinsicConstruct(String function) {
            this.function = function;
        }

        @Override
        public Object construct(Node node) {
            Object value = switch (node) {
                case ScalarNode scalar -> constructScalar(scalar);
                case SequenceNode sequence -> constructSequence(sequence);
                case MappingNode mapping -> constructMapping(mapping);
                default -> throw new TemplateException("unsupported YAML node for " + function);
            };
            return Map.of(function, value);
        }
    }
}
